import { describe, expect, it, afterEach } from 'vitest';
import { CliError, ExitCode } from '../../src/errors.js';
import { clearSecrets, redact, registerSecret } from '../../src/redact.js';

afterEach(() => clearSecrets());

describe('Class: CliError', () => {
  it('carries code, default exit code, name and cause', () => {
    const cause = new Error('ENOENT');
    const e = new CliError('TERRAFORM_NOT_FOUND', 'terraform not found', { cause });
    expect(e).toMatchObject({ name: 'CliError', code: 'TERRAFORM_NOT_FOUND', exitCode: ExitCode.MissingDependency, cause });
    expect(e.message).toBe('terraform not found (cause: ENOENT)');
  });

  it('is recognised by brand, not by instanceof', () => {
    const e = new CliError('USAGE', 'x');
    const foreign = Object.assign(new Error('y'), { [Symbol.for('@ecs-pulse/cli.CliError')]: true });
    expect(CliError.isCliError(e)).toBe(true);
    expect(CliError.isCliError(foreign)).toBe(true);
    expect(CliError.isCliError(new Error('z'))).toBe(false);
    expect(CliError.isCliError(null)).toBe(false);
  });

  it('maps codes to the documented exit codes and allows an override', () => {
    expect(new CliError('USAGE', 'x').exitCode).toBe(2);
    expect(new CliError('CREDENTIALS_MISSING', 'x').exitCode).toBe(3);
    expect(new CliError('THROTTLED', 'x').exitCode).toBe(4);
    expect(new CliError('REMOTE_COMMAND_FAILED', 'x').exitCode).toBe(5);
    expect(new CliError('SLACK_FAILED', 'x').exitCode).toBe(6);
    expect(new CliError('USAGE', 'x', { exitCode: ExitCode.Failure }).exitCode).toBe(1);
  });

  it('redacts secrets in its message, including the cause text', () => {
    const e = new CliError('SLACK_FAILED', 'post to https://hooks.slack.com/services/T1/B2/abcdef failed', {
      cause: new Error('AccessKeyId LTAI5tABCDEFGHIJKLMNOP rejected'),
    });
    expect(e.message).toBe('post to https://hooks.slack.com/services/*** failed (cause: AccessKeyId LTAI**** rejected)');
  });
});

describe('Function: redact', () => {
  it('masks registered secret values wherever they appear', () => {
    registerSecret('sup3r-s3cret-value');
    expect(redact('secret=sup3r-s3cret-value; again sup3r-s3cret-value')).toBe('secret=***; again ***');
  });

  it('ignores secrets too short to mask safely', () => {
    registerSecret('abc');
    expect(redact('abc def')).toBe('abc def');
  });

  it('masks token query parameters, signatures, STS ids and Slack tokens', () => {
    expect(redact('https://x.fcapp.run/?token=abc123&a=1')).toBe('https://x.fcapp.run/?token=***&a=1');
    expect(redact('ACS3-HMAC-SHA256 Credential=LTAI5tAAAAAAAAAAAAAA,SignedHeaders=host,Signature=0123456789abcdef0123')).toBe(
      'ACS3-HMAC-SHA256 Credential=LTAI****,SignedHeaders=host,Signature=***',
    );
    expect(redact('STS.NUxxxxxxxxxxxxxxxxx')).toBe('STS.****');
    expect(redact('xoxb-1234-5678-abcdefgh')).toBe('xoxb-***');
  });
});
