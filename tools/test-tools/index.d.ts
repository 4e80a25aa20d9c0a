/** The environment variable that turns a missing tool into a failure (`ECS_PULSE_REQUIRE_TOOLS`). */
export declare const REQUIRE_TOOLS_ENV: 'ECS_PULSE_REQUIRE_TOOLS';

/** A host requirement a test can name. */
export type HostTool =
  | 'iperf3'
  | 'stress-ng'
  | 'shellcheck'
  | 'sockperf'
  | 'openssl'
  | 'chromium'
  | 'sar'
  | 'mpstat'
  | 'ip'
  | 'ss'
  | 'tc'
  | 'bash'
  | 'systemd-analyze'
  | 'root'
  | 'netns';

/** Every host requirement with the Debian package that provides it. */
export declare const HOST_TOOLS: Readonly<Record<HostTool, { readonly kind: 'binary' | 'root' | 'netns'; readonly debian: string | undefined }>>;

/** One absent requirement. */
export interface MissingTool {
  readonly tool: HostTool;
  readonly kind: 'binary' | 'root' | 'netns';
  /** e.g. `iperf3 (not on PATH)`. */
  readonly what: string;
  /** The Debian package, when one provides it. */
  readonly debian: string | undefined;
  /** How to get it, e.g. `apt-get install -y iperf3`. */
  readonly hint: string;
}

/** The result of {@link checkTools}. */
export interface ToolCheck {
  readonly available: boolean;
  /** `ECS_PULSE_REQUIRE_TOOLS=1`: a missing tool fails instead of skipping. */
  readonly required: boolean;
  readonly missing: readonly MissingTool[];
  /** Empty when available; otherwise names each tool and the install command. */
  readonly message: string;
}

/** A gate: `describe`/`it` that register, skip with the reason, or fail with the reason. */
export interface ToolGate extends ToolCheck {
  /** vitest's `describe`, or `describe.skip` with the reason, or one failing test with the reason. */
  readonly describe: (name: string, body: () => void) => void;
  /** vitest's `it`, or `it.skip` with the reason, or a failing test with the reason. */
  readonly it: (name: string, fn: () => unknown, timeout?: number) => void;
}

/** Options shared by {@link checkTools} and {@link needTools}. */
export interface ToolOptions {
  /** Where PATH and ECS_PULSE_REQUIRE_TOOLS are read. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** Whether ECS_PULSE_REQUIRE_TOOLS is `1` (or `true`). */
export declare function toolsRequired(env?: NodeJS.ProcessEnv): boolean;
/** The absolute path of an executable on PATH, or undefined. */
export declare function findOnPath(name: string, env?: NodeJS.ProcessEnv): string | undefined;
/** Which of `tools` are absent, each with its install hint. */
export declare function checkTools(tools: readonly HostTool[], options?: ToolOptions): ToolCheck;
/**
 * The gate for tests needing `tools`.
 * @example
 * const tools = needTools(['iperf3', 'ss']);
 * tools.describe('real iperf3 on loopback', () => { ... });
 */
export declare function needTools(tools: readonly HostTool[], options?: ToolOptions): ToolGate;
