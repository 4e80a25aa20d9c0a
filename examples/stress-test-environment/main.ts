import { App } from 'cdktf';
import { StackConfigError, StressTestStack, loadStackConfig } from './src/stack.js';

// `ecs-pulse synth` (or `npx cdktf synth`) runs this file with CDKTF_OUTDIR and CDKTF_CONTEXT_JSON set.
const app = new App();
try {
  const config = loadStackConfig({ context: app.node.getAllContext() });
  new StressTestStack(app, config.stackName, config);
} catch (error) {
  if (error instanceof StackConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
app.synth();
