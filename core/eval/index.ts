// Public surface of the evaluation workbench (engine-independent parts).
export * from './collection.js';
export * from './cached-scores.js';
export { loadCollection, detectCollectionFormat, type CollectionFormat, type LoadOptions } from './loaders/detect.js';
export { loadSmartCollection, findSmartFiles, parseSmartQrels, parseSmartRecords, type SmartFiles } from './loaders/smart.js';
export { loadBeirCollection, parseBeirQrels, isBeirFolder } from './loaders/beir.js';
export { loadTrecCollection, findTrecFiles, parseTrecQrels, parseTrecTopics, parseTrecDocs, type TopicField, type TrecFiles } from './loaders/trec.js';
export { loadUserLabels, loadUserLabelsCollection, userLabelsToCollection, UserLabelsSchema } from './loaders/user-labels.js';
export * from './metrics.js';
export * from './grid.js';
export * from './provenance.js';
export * from './report.js';
export * from './chart.js';
export { svgToPng } from './chart-png.js';
export { ScoreCache, type ScoreCacheHeader, type ScoringKey } from './score-cache.js';
export { runEval, type EngineDescription, type EvalEngine, type EngineScores, type EvalProgress, type RunEvalOptions } from './runner.js';
