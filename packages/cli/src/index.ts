export { main, type MainOptions } from './cli.js';
export { CliError, ExitCode, type CliErrorCode, type CliErrorOptions, type ExitCodeValue } from './errors.js';
export type { CommonOptions, Writer } from './io.js';
export { redact, registerSecret } from './redact.js';
export {
  synth,
  plan,
  deploy,
  destroy,
  type AppOptions,
  type PlanOptions,
  type ApplyOptions,
  type SynthResult,
  type StackRunResult,
  type DeployResult,
  type DestroyResult,
} from './commands/lifecycle.js';
export type { SynthesizedStack } from './app.js';
export type { TerraformOutput } from './terraform.js';
export type { HostInfo, StackInfo } from './stack-outputs.js';
export type { StackRef } from './stack.js';
export { ssh, type SshOptions, type SshResult } from './commands/ssh.js';
export { netRun, type NetAdvertised, type NetAggregate, type NetHost, type NetReport, type NetRunOptions, type NetRunResult } from './commands/net.js';
export { stressRun, type StressRunOptions, type StressRunResult, type StressHostRun } from './commands/stress.js';
export type { HostOptions } from './hosts.js';
export type { MetricsReport, MetricSummary } from './cloud/metrics.js';
export type { RemoteResult } from './cloud/cloud-assistant.js';
export { sendTestEvent, type SendTestEventOptions, type SendTestEventResult } from './commands/send-test-event.js';
export {
  eventsList,
  eventsReplay,
  type ApiSystemEvent,
  type EventsListOptions,
  type EventsListResult,
  type EventsReplayOptions,
  type EventsReplayResult,
} from './commands/events.js';
export { alarms, type AlarmsOptions, type AlarmsResult, type AlarmRule, type AlertLogEntry } from './commands/alarms.js';
export {
  demo,
  DEMO_MARKER,
  type DemoOptions,
  type DemoResult,
  type DemoStep,
  type DemoReject,
  type DemoSynthResult,
  type DemoVia,
  type DemoOutcome,
} from './commands/demo.js';
export type { DemoThreadsResult } from './commands/demo-threads.js';
export { preview, type PreviewOptions, type PreviewResult } from './commands/preview.js';
export { sink, type SinkOptions, type SinkResult } from './commands/sink.js';
export {
  runsList,
  runsShow,
  runsCompare,
  runsExport,
  report,
  type RunsOptions,
  type RunsCompareOptions,
  type RunListEntry,
  type ReportCommandOptions,
} from './commands/runs.js';
export {
  RUN_SCHEMA_VERSION,
  RUN_RECORD_JSON_SCHEMA,
  type RunRecord,
  type RunHost,
  type RunSeries,
  type SeriesPoints,
  type NetFigures,
  type StressFigures,
  type AdvertisedNetwork,
} from './runs/record.js';
export { compareRuns, type RunComparison, type ComparisonRow, type Verdict } from './runs/compare.js';
export { exportRun, type ExportFormat, type PkbSample } from './runs/export.js';
export { renderReport, type ReportOptions } from './runs/report.js';
