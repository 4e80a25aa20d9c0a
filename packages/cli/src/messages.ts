/**
 * Every user-facing text of the CLI, in one place. Messages say what went wrong, where, and how to fix it.
 * @internal
 */
export const M = {
  // usage
  unknownCommand: (name: string) => `Unknown command "${name}". Run "ecs-pulse --help" for the list of commands.`,
  unknownAction: (command: string, action: string | undefined, allowed: readonly string[]) =>
    `"ecs-pulse ${command}" needs one of: ${allowed.join(', ')}${action === undefined ? '' : ` (got "${action}")`}. Example: ecs-pulse ${command} ${allowed[0] ?? ''} --help`,
  badNumber: (option: string, value: unknown) => `--${option} must be a positive number (got ${JSON.stringify(String(value))}).`,
  badInteger: (option: string, text: string, min: number, max: number) =>
    `--${option} must be a whole number from ${min} to ${max} (got ${JSON.stringify(text)}).`,
  unknownOption: (name: string) =>
    `Unknown option ${name.length > 1 ? `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : `-${name}`}. Run "ecs-pulse --help" for the commands and their options.`,
  extraArgument: (command: string, arg: string, usage: string) =>
    `Unexpected argument "${arg}" for "ecs-pulse ${command}" (usage: ecs-pulse ${usage}). Run "ecs-pulse ${command} --help".`,
  fileOrSample: () => 'Pass a payload file or --sample <name>, not both.',
  previewNeedsFile: () =>
    'preview needs a payload: a file, - for stdin, or --sample <name> (a sample bundled with the CLI; --sample list names them).',
  badChoice: (option: string, value: unknown, allowed: readonly string[]) =>
    `--${option} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)}).`,
  badDuration: (option: string, value: unknown) =>
    `--${option} must be a duration like 30m, 1h, 2d or an ISO time (got ${JSON.stringify(value)}).`,
  runRefs: (action: string, want: number, got: number) =>
    `"ecs-pulse runs ${action}" takes ${want} run reference${want === 1 ? '' : 's'} (got ${got}). Run ids come from "ecs-pulse runs list"; latest and previous work too.`,
  contextBad: (text: string) => `--context must look like key=value (got "${text}").`,
  notImplementedHere: (name: string) => `"ecs-pulse ${name}" is not available in this build yet.`,

  // app / synth
  appMissing: (dir: string, via: string) =>
    `${dir} does not exist (from ${via}). Pass --app <dir> with the folder of your cdktf app (the one with cdktf.json or main.ts).`,
  appNotAFolder: (dir: string) => `${dir} is a file, not a folder. Pass --app <dir> with the folder of your cdktf app.`,
  appNotAnApp: (dir: string) =>
    `${dir} is not a cdktf app: it has no cdktf.json, main.ts or src/main.ts. Pass --app <dir> with the folder of your cdktf app.`,
  appNotFound: (cwd: string) =>
    `No cdktf app found from ${cwd}. Run ecs-pulse inside your app folder (the one with cdktf.json), pass --app <dir>, or set ECS_PULSE_APP.`,
  appBadConfig: (file: string) => `${file} is not valid JSON. Fix it or pass --app <dir> with another app.`,
  appNoCommand: (dir: string) =>
    `${dir}/cdktf.json has no "app" command and there is no main.ts. Add "app": "npx tsx main.ts" to cdktf.json.`,
  synthRunning: (command: string, dir: string) => `synth: ${command} (in ${dir})`,
  synthFailed: (command: string, dir: string, code: number) =>
    `Synthesis failed: "${command}" exited with code ${code} in ${dir}. Its output is above; fix the app and run again.`,
  synthDone: (n: number, outdir: string) => `Synthesized ${n} stack${n === 1 ? '' : 's'} into ${outdir}:`,
  manifestMissing: (file: string) => `${file} not found: the app did not synthesize any stack. Does it call app.synth()?`,
  stackUnknown: (name: string, names: readonly string[]) =>
    `Stack "${name}" not found. Stacks in this app: ${names.join(', ') || '(none)'}.`,
  stackNone: () => 'The app synthesized no stacks. Add a TerraformStack to it.',
  stackAmbiguous: (names: readonly string[]) => `The app has several stacks (${names.join(', ')}); pick one with --stack <name>.`,

  // terraform
  terraformMissing: (configured: string | undefined) =>
    configured
      ? `terraform not found at ECS_PULSE_TERRAFORM=${configured}. Point it at a terraform binary or unset it.`
      : 'terraform not found on PATH. Install Terraform >= 1.5 (https://developer.hashicorp.com/terraform/install, e.g. "brew install terraform" or the HashiCorp apt repository), or set ECS_PULSE_TERRAFORM to its path.',
  terraformFailed: (sub: string, dir: string, code: number, shown: boolean) =>
    `terraform ${sub} failed with exit code ${code} in ${dir}. ${shown ? "Terraform's own error is above" : "Terraform's own error is printed above this line"}; fix what it names and run again.`,
  outputsFailed: (dir: string) =>
    `Could not read the stack outputs (terraform output -json failed in ${dir}; its error is above). Is the stack deployed? Run "ecs-pulse deploy" first.`,
  outputsNotJson: (dir: string) => `terraform output -json in ${dir} did not print JSON.`,
  needYes: (verb: string) =>
    `${verb} changes real cloud resources and stdin is not a terminal, so terraform cannot ask for approval. Pass --yes to approve.`,
  deployDone: (stack: string) => `Deployed stack ${stack}. Outputs:`,
  serviceLinkedRolePresent: (role: string) => `The account has the service-linked role ${role} (EventBridge → Function Compute).`,
  serviceLinkedRoleCreated: (role: string) =>
    `Created the service-linked role ${role}, which EventBridge needs to invoke Function Compute. It is account-wide and not part of the stack: destroy keeps it (delete it in the RAM console when no EventBridge route uses it).`,
  serviceLinkedRoleUnchecked: (role: string, reason: string) =>
    `Could not check the service-linked role ${role} (${reason}); going on. If the account lacks it, apply fails at the EventBridge trigger: create it in the RAM console, grant ram:GetRole and ram:CreateServiceLinkedRole, or set manageServiceLinkedRole on SlackForwarder.`,
  sensitiveHidden: (n: number) => `  (${n} sensitive output${n === 1 ? '' : 's'} not shown)`,
  destroyDone: (stack: string) => `Destroyed stack ${stack}.`,
  removed: (p: string) => `removed ${p}`,
  stackNotDeployed: (dir: string) =>
    `No deployed stack found for the app in ${dir}. Run "ecs-pulse deploy" first, or name the hosts with --server/--client (and --region) or --host.`,

  // ssh
  sshNoHost: () =>
    'The stack outputs have no public IP for the server (SSH is not enabled?). Pass --host <ip>, or use "ecs-pulse stress run"/"net run", which need no SSH.',
  sshNoKey: () => 'The stack outputs name no private key file. Pass --key <file>.',
  keyMissing: (file: string) =>
    `Key file ${file} does not exist. It is written by "ecs-pulse deploy"; run it again, or pass --key <file>.`,
  keyModeFixed: (file: string, mode: number) =>
    `Key file ${file} had mode ${mode.toString(8).padStart(4, '0')}; ssh refuses keys others can read, so it was changed to 0600.`,
  keyModeLoose: (file: string, mode: number) =>
    `Key file ${file} has mode ${mode.toString(8).padStart(4, '0')}; ssh refuses keys others can read. Run: chmod 600 ${file} (ecs-pulse ssh --exec does it for you).`,
  sshMissing: () => 'ssh not found on PATH. Install an OpenSSH client, or print the command without --exec.',
  sshFailed: (code: number) => `ssh exited with code ${code}.`,
  // cloud
  credentialsMissing: (tried: readonly string[]) =>
    `No Alibaba Cloud credentials found. Tried, in order: ${tried.join('; ')}. Set one: export ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or run "aliyun configure" (writes ~/.aliyun/config.json; pick a profile with ALIBABA_CLOUD_PROFILE), or run on an ECS instance with a RAM role (ALIBABA_CLOUD_ECS_METADATA=<role name>).`,
  badEndpoint: (name: string, value: string) =>
    `${name}=${value} is not a valid endpoint URL. Use a full URL such as https://ecs.cn-hangzhou.aliyuncs.com or http://127.0.0.1:8080.`,
  regionMissing: () =>
    'No region given. Pass --region (e.g. --region cn-hangzhou), set ALIBABA_CLOUD_REGION_ID, or deploy the stack so its outputs name the region.',
  regionInvalid: (region: string) => `"${region}" is not a region id. Region ids look like cn-hangzhou or ap-southeast-1.`,
  regionRejected: (region: string, where: string, code: string) =>
    `${where} failed: the API rejected region "${region}" (${code}). Check --region; region ids look like cn-hangzhou, ap-southeast-1.`,
  throttled: (where: string, code: string, retried: number) =>
    `${where} was throttled (${code}) and still was after ${retried} retr${retried === 1 ? 'y' : 'ies'} with back-off. Wait a minute and try again.`,
  authRejected: (where: string, code: string) =>
    `${where} failed: the AccessKey was rejected (${code}). Check ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET or your aliyun profile.`,
  permissionDenied: (where: string, code: string) =>
    `${where} failed: permission denied (${code}). Grant the RAM user or role the needed policy (e.g. AliyunECSAssistantFullAccess, AliyunCloudMonitorReadOnlyAccess, AliyunFCInvocationAccess).`,
  unreachable: (where: string, why: string) =>
    `${where} failed: the endpoint could not be reached (${why}). Check the network, or the ECS_PULSE_ENDPOINT_* override.`,
  apiFailed: (where: string, code: string, message: string, requestId: string | undefined) =>
    `${where} failed: ${code}: ${message}${requestId ? ` (request id ${requestId})` : ''}`,
  retrying: (code: string, attempt: number, delayMs: number) => `throttled (${code}); retry ${attempt} in ${(delayMs / 1000).toFixed(1)} s`,
  noInvokeId: (region: string) => `RunCommand in ${region} returned no InvokeId.`,
  remoteTimeout: (invokeId: string, timeout: number) =>
    `The command (invoke ${invokeId}) did not finish within ${timeout} s plus 2 minutes of grace. Check it in the ECS console (Cloud Assistant) or raise --timeout.`,
  // hosts and tests
  badInstanceId: (id: string) => `"${id}" is not an ECS instance id (they look like i-bp1abc...).`,
  noServer: () => 'No server host: deploy the stack (its outputs name the server) or pass --server <instance-id> --region <region>.',
  noClients: () =>
    'No client host: the stack has no clients and none was given. Deploy with clients or pass --client <instance-id> (repeatable).',
  instanceNotFound: (id: string, region: string) =>
    `Instance ${id} was not found in ${region} (DescribeInstances returned nothing). Check the id and --region.`,
  remoteNoOutput: (label: string, instanceId: string) =>
    `${label} on ${instanceId} printed no result. Is the tool installed and the host ready (cloud-init finished)?`,
  remoteTruncated: (instanceId: string, dropped: number) =>
    `Cloud Assistant cut ${dropped} bytes of output from ${instanceId} (24 KB limit); the result could not be read. The full file is kept on the host.`,
  remoteFailed: (n: number, what: string) => `${n} ${what} failed; see the table above and the raw output files.`,
  toolMissingRemote: (tool: string, instanceId: string) =>
    `${tool} is not installed on ${instanceId}. Hosts made by StressHost install it at boot; wait for cloud-init to finish or install it.`,
  badSize: (option: string, value: unknown) => `--${option} must look like 256M, 1G or 50% (got ${JSON.stringify(value)}).`,
  badStressor: (value: string) => `--stressor must look like name or name:count, e.g. cpu:2 or matrix (got "${value}").`,
  badBandwidth: (value: unknown) => `--bandwidth must look like 100M, 1G or 500K (bits per second) (got ${JSON.stringify(value)}).`,
  savedRaw: (dir: string) => `raw output kept in ${dir}`,
  // send-test-event
  eventFileMissing: (file: string) => `Cannot read ${file}. Pass an existing event file, or no file for the bundled sample.`,
  eventInvalid: (what: string) => `${what} is not an event the parser understands (CloudMonitor event, EventBridge event, metric-alarm callback, FC HTTP envelope).`,
  slackFailed: () => 'Slack did not accept the message. Check the webhook URL (not shown) and that the channel still exists.',
  slackUnreachable: (origin: string, why: string) =>
    `Could not reach ${origin} (${why}): nothing was sent. Check the webhook URL's host and port (is the sink or proxy running?) and the network.`,
  badWebhook: (why: string) => `--webhook is not a usable Slack webhook URL: ${why}`,
  sentToWebhook: (n: number) => `Sent ${n} alert${n === 1 ? '' : 's'} to the Slack webhook.`,
  noFunction: () => 'No function name: deploy the stack (its outputs name the function) or pass --function <name>.',
  noAccountId: () =>
    'The FC endpoint needs your account id (<account>.<region>.fc.aliyuncs.com): pass --account-id, set ALIBABA_CLOUD_ACCOUNT_ID, or set ECS_PULSE_ENDPOINT_FC.',
  functionFailed: (fn: string, type: string, body: string) => `${fn} failed with ${type}: ${body.slice(0, 500)}`,
  sentToFunction: (fn: string, status: number | undefined, body: string) => `Invoked ${fn}: HTTP ${status ?? '?'}${body ? `, response ${body.slice(0, 500)}` : ''}`,
  // events / alarms
  eventsUnparsable: () => 'CloudMonitor returned system events the parser could not read. Run with --json to see them and report the shape.',
  noEvents: () => 'No system events in this window. Widen it with --since (e.g. --since 1d).',
  eventsPageLimit: (pages: number, count: number) =>
    `Stopped after ${pages} pages (${count} events): there may be more. Narrow the window with --since, --product or --level.`,
  replaySummary: (n: number, s: Readonly<Record<string, number>>) =>
    `Replayed ${n} event(s) through the forwarder: ${s.alerts ?? 0} alert(s), ${s.delivered ?? 0} delivered, ${s.filtered ?? 0} filtered, ${s.duplicates ?? 0} duplicate(s), ${s.unrouted ?? 0} unrouted, ${s.failed ?? 0} failed.`,
  forwarderMissing: (why: string) =>
    `The bundled forwarder function (@ecs-pulse/alicloud-fc-slack-forwarder/function) was not found: ${why}. Build the repository first (npm run build).`,
  forwarderCrashed: (why: string) => `The forwarder function process ended unexpectedly: ${why}`,
  replayFailed: () => 'The forwarder function rejected the replay (configuration or delivery). Its log lines are above.',
  noAlarms: () => 'No CloudMonitor alarm rules found. Deploy the example stack (it creates CPU and network alarms) or widen --name.',
  stackHasNoAlarms: () => 'The stack has no CloudMonitor alarm rules (its alarm_rule_ids output is empty: alarms are off). Use --name <text> to look at other rules.',
  noAlarmRuleIdsOutput: () =>
    'The stack has no alarm_rule_ids output (deployed with an older ecs-pulse?): listing every acs_ecs_dashboard rule in the region. Redeploy, or narrow with --name <text>.',
} as const;
