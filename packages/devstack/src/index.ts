export {
  CENTRIFUGO_NAMESPACE,
  CENTRIFUGO_VERSION,
  ensureCentrifugo,
  startCentrifugo,
  type RunningCentrifugo,
} from './centrifugo.ts';
export { CHROMIUM_FLAGS, ensureChromium, ensureCjkFonts, launchChromium } from './chromium.ts';
export { electronNativeDir, electronNativeRoot, type ElectronTarget } from './electronNative.ts';
export {
  DEV_API_KEY,
  DEV_API_SECRET,
  LIVEKIT_VERSION,
  ensureLivekit,
  startLivekit,
  type LivekitInfo,
  type RunningLivekit,
} from './livekit.ts';
export { loggedSessions, type LoggedSession } from './livekitLog.ts';
export { startLivekitCluster, type RunningLivekitCluster, type StartLivekitClusterOptions } from './livekitCluster.ts';
export { artifactsDir, logsDir, repoRoot, screenshotsDir, testResultsDir, toolsDir } from './paths.ts';
export { freeTcpPort, freeUdpPort, onFreshPorts, PortTaken, saysPortTaken, waitForTcp, webhookPair } from './ports.ts';
export { processesWithArgs, spawnOwned, type Spawned } from './processes.ts';
export { SetupError } from './setupError.ts';
export { testProject, type TestProjectOptions } from './vitestConfig.ts';
export { serveStatic, type StaticServer } from './staticServer.ts';
export { buildRenderer } from './renderer.ts';
export { ensureFfmpeg, meanLuma, meanVolumeDb, pixelAt, probeMedia, saveFrame, type ProbedMedia } from './ffmpeg.ts';
export { ensureEspeak, ensureSpeech, speak, speechPython, speechSidecar, type Speech } from './speech.ts';
export {
  buildPageSdk,
  ensurePagesDemo,
  pageSdkScript,
  startPagesDemo,
  type PagesDemoOptions,
  type RunningPagesDemo,
} from './pagesDemo.ts';
export { ensurePostgres, postgresAvailable, startPostgres, type RunningPostgres } from './postgres.ts';
export { ensureRedis, redisAvailable, startRedis, type RunningRedis } from './redis.ts';
export { ensureRtmpServer, startRtmpServer, type RunningRtmpServer } from './rtmp.ts';
export { makeTestCa, type TestCa, type TestCertificate } from './testCertificates.ts';
export { LIVEKIT_SIP_VERSION, ensureSip, ensureSipp, sipConfig, startSip, type RunningSip } from './sip.ts';
export {
  answeringAgent,
  dialIn,
  refusingAgent,
  ringingAgent,
  type CallerScript,
  type Heard,
  type SipCall,
  type SipCallee,
} from './sipAgent.ts';
