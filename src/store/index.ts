/** The store layer's public entry: the port, both adapters, index creation, import/export. */
export type {
  AggregateFunction, AggregateResult, BulkSetOptions, BulkUpdate, ChangeOperation, ChangeRecord, ClassFilter,
  DocumentChange, DocumentTarget, Filter, FilterOperator, FindOptions, IndexOptions, NewDocument, ScanOptions, StoredDocument,
  StorePort, StoredValue,
} from './port.ts';
export { AGGREGATE_FUNCTIONS, FILTER_OPERATORS } from './port.ts';
export { StoreUsageError, UnsupportedOperationError } from './errors.ts';
export { openEmbeddedStore, EmbeddedStore, type EmbeddedStoreOptions } from './embedded/embedded-store.ts';
export { openMongoStore, MongoStore, type MongoStoreOptions } from './mongo/mongo-store.ts';
export { createLookupIndexes, type IndexRequest } from './indexes.ts';
export { importDocuments, importPath, exportPath, type ImportOptions, type ExportOptions } from './transfer/import-export.ts';
export { parseDocuments, formatDocuments, formatDocument, type DocumentFileFormat, type FormatOptions } from './transfer/extended-json.ts';
export { valuesEqual, compareValues } from './values.ts';
export { countingStore, type CountingStore, type StoreMethod } from './counting-store.ts';
