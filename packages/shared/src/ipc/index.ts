export * from './api.ts';
export * from './bridgeProtocol.ts';
export * from './connectionTest.ts';
export * from './contract.ts';
export * from './records.ts';
export * from './pushToTalkKey.ts';
export * from './searchHits.ts';
