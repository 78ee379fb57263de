/** The graph document: types, schema, loading, migrations, validation and writing. Pure TS. */
export * from './problems';
export * from './limits';
export * from './sockets';
export * from './shapes';
export * from './params';
export * from './catalog';
export * from './records';
export { graphFormat, currentVersion, graphDocSchema, type GraphDoc, type GraphNode, type GraphEdge, type Endpoint, type GraphMeta } from './schema';
export { documentMigrations, migrateV0toV1, renameReservedIds } from './migrations';
export * from './names';
export { sanitize, parseJsonText, type Json } from './sanitize';
export { loadGraph, type LoadResult } from './load';
export { saveGraph } from './save';
export { validateGraph, nothingToTrain, type GraphCheck } from './validate';
export { activationBytes, checkActivationMemory, seedsActivationRefusal, type ActivationInputs } from './memory';
export { structureHash, hashStructure, structureNodes, hashString, type StructureNode } from './structure';
export { viewTitle, sourceTitle, nodeTitle, namedBySource, kindLabel } from './titles';
