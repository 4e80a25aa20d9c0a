import { ELLIPSIS, truncateMrkdwn, truncatePlain } from './mrkdwn.js';
import type { SlackBlock, SlackMessage, TextObject } from './types.js';

// The limits as plain constants: the bundler inlines them into the fitting and rendering code (and drops
// SLACK_LIMITS when only those are used). SLACK_LIMITS below is the public view of the same numbers.
/** @internal Top-level `text` (Slack truncates beyond this). */
export const MAX_MESSAGE_TEXT = 40_000;
/** @internal Blocks per message (top-level and attachment blocks counted together, conservatively). */
export const MAX_BLOCKS = 50;
/** @internal Header block `text` (plain_text). */
export const MAX_HEADER_TEXT = 150;
/** @internal Section block `text`. */
export const MAX_SECTION_TEXT = 3000;
/** @internal Section block `fields` count. */
export const MAX_SECTION_FIELDS = 10;
/** @internal Each section field. */
export const MAX_SECTION_FIELD_TEXT = 2000;
/** @internal Context block elements. */
export const MAX_CONTEXT_ELEMENTS = 10;
/** @internal Each context text element (the generic text-object limit). */
export const MAX_CONTEXT_TEXT = 3000;
/** @internal Actions block elements. */
export const MAX_ACTIONS_ELEMENTS = 25;
/** @internal Button label (plain_text). */
export const MAX_BUTTON_TEXT = 75;
/** @internal Button `url`. */
export const MAX_BUTTON_URL = 3000;
/** @internal `block_id`. */
export const MAX_BLOCK_ID = 255;
/** @internal Secondary attachments per message. */
export const MAX_ATTACHMENTS = 100;
/** @internal Sum of all text inside blocks (our practical budget, below Slack's observed ~13k rejection). */
export const BLOCK_CHARS_BUDGET = 12_000;

/**
 * Slack's message and Block Kit limits this package renders within and checks. Lengths are counted in
 * UTF-16 code units (JavaScript `length`), which is never less than Slack's character count.
 * `blockCharsBudget` is ours: Slack documents 40,000 characters for `text`, but `chat.postMessage` has
 * answered `msg_blocks_too_long` at about 13,000 characters across blocks (bolt-js#2509), so the notifier
 * keeps all block text under 12,000.
 *
 * @example
 * ```ts
 * SLACK_LIMITS.headerText; // 150
 * ```
 */
export const SLACK_LIMITS = /* @__PURE__ */ Object.freeze({
  /** Top-level `text` (Slack truncates beyond this). */
  messageText: MAX_MESSAGE_TEXT,
  /** Blocks per message (top-level and attachment blocks counted together, conservatively). */
  blocks: MAX_BLOCKS,
  /** Header block `text` (plain_text). */
  headerText: MAX_HEADER_TEXT,
  /** Section block `text`. */
  sectionText: MAX_SECTION_TEXT,
  /** Section block `fields` count. */
  sectionFields: MAX_SECTION_FIELDS,
  /** Each section field. */
  sectionFieldText: MAX_SECTION_FIELD_TEXT,
  /** Context block elements. */
  contextElements: MAX_CONTEXT_ELEMENTS,
  /** Each context text element (the generic text-object limit). */
  contextText: MAX_CONTEXT_TEXT,
  /** Actions block elements. */
  actionsElements: MAX_ACTIONS_ELEMENTS,
  /** Button label (plain_text). */
  buttonText: MAX_BUTTON_TEXT,
  /** Button `url`. */
  buttonUrl: MAX_BUTTON_URL,
  /** `block_id`. */
  blockId: MAX_BLOCK_ID,
  /** Secondary attachments per message. */
  attachments: MAX_ATTACHMENTS,
  /** Sum of all text inside blocks (our practical budget, below Slack's observed ~13k rejection). */
  blockCharsBudget: BLOCK_CHARS_BUDGET,
});

/**
 * One way a message breaks a limit: `path` locates it (`blocks[3].fields[2].text`), `rule` names the limit,
 * `limit` and `actual` give the numbers when they apply.
 *
 * @example
 * ```ts
 * const v: SlackLimitViolation = { path: 'blocks[0].text.text', rule: 'header_text_length', limit: 150, actual: 151, message: '…' };
 * ```
 */
export interface SlackLimitViolation {
  readonly path: string;
  readonly rule: string;
  readonly limit?: number;
  readonly actual?: number;
  readonly message: string;
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkText(
  out: SlackLimitViolation[],
  value: unknown,
  path: string,
  rule: string,
  limit: number,
  allowed: readonly string[] = ['plain_text', 'mrkdwn'],
): number {
  if (!isRec(value) || typeof value.text !== 'string' || !allowed.includes(String(value.type))) {
    out.push({ path, rule: 'text_object', message: `${path} must be a text object of type ${allowed.join(' or ')} with a string text` });
    return 0;
  }
  const len = value.text.length;
  if (len === 0) out.push({ path: `${path}.text`, rule: `${rule}_empty`, limit: 1, actual: 0, message: `${path}.text must not be empty` });
  if (len > limit) out.push({ path: `${path}.text`, rule: `${rule}_length`, limit, actual: len, message: `${path}.text has ${len} characters; the limit is ${limit}` });
  return len;
}

function checkBlock(out: SlackLimitViolation[], block: unknown, path: string): number {
  if (!isRec(block) || typeof block.type !== 'string') {
    out.push({ path, rule: 'block_type', message: `${path} must be an object with a string type` });
    return 0;
  }
  if (typeof block.block_id === 'string' && block.block_id.length > MAX_BLOCK_ID) {
    out.push({ path: `${path}.block_id`, rule: 'block_id_length', limit: MAX_BLOCK_ID, actual: block.block_id.length, message: `${path}.block_id is longer than ${MAX_BLOCK_ID}` });
  }
  let chars = 0;
  switch (block.type) {
    case 'header':
      chars += checkText(out, block.text, `${path}.text`, 'header_text', MAX_HEADER_TEXT, ['plain_text']);
      break;
    case 'section': {
      const hasText = block.text !== undefined;
      const fields = block.fields;
      if (!hasText && fields === undefined) out.push({ path, rule: 'section_empty', message: `${path} needs text or fields` });
      if (hasText) chars += checkText(out, block.text, `${path}.text`, 'section_text', MAX_SECTION_TEXT);
      if (fields !== undefined) {
        if (!Array.isArray(fields) || fields.length === 0) {
          out.push({ path: `${path}.fields`, rule: 'section_fields', message: `${path}.fields must be a non-empty array` });
        } else {
          if (fields.length > MAX_SECTION_FIELDS) out.push({ path: `${path}.fields`, rule: 'section_fields_count', limit: MAX_SECTION_FIELDS, actual: fields.length, message: `${path} has ${fields.length} fields; the limit is ${MAX_SECTION_FIELDS}` });
          fields.forEach((f, i) => {
            chars += checkText(out, f, `${path}.fields[${i}]`, 'section_field', MAX_SECTION_FIELD_TEXT);
          });
        }
      }
      if (isRec(block.accessory) && block.accessory.type === 'button') chars += checkButton(out, block.accessory, `${path}.accessory`);
      break;
    }
    case 'context': {
      const els = block.elements;
      if (!Array.isArray(els) || els.length === 0) {
        out.push({ path: `${path}.elements`, rule: 'context_elements', message: `${path}.elements must be a non-empty array` });
        break;
      }
      if (els.length > MAX_CONTEXT_ELEMENTS) out.push({ path: `${path}.elements`, rule: 'context_elements_count', limit: MAX_CONTEXT_ELEMENTS, actual: els.length, message: `${path} has ${els.length} elements; the limit is ${MAX_CONTEXT_ELEMENTS}` });
      els.forEach((e, i) => {
        if (isRec(e) && e.type === 'image') return;
        chars += checkText(out, e, `${path}.elements[${i}]`, 'context_text', MAX_CONTEXT_TEXT);
      });
      break;
    }
    case 'actions': {
      const els = block.elements;
      if (!Array.isArray(els) || els.length === 0) {
        out.push({ path: `${path}.elements`, rule: 'actions_elements', message: `${path}.elements must be a non-empty array` });
        break;
      }
      if (els.length > MAX_ACTIONS_ELEMENTS) out.push({ path: `${path}.elements`, rule: 'actions_elements_count', limit: MAX_ACTIONS_ELEMENTS, actual: els.length, message: `${path} has ${els.length} elements; the limit is ${MAX_ACTIONS_ELEMENTS}` });
      els.forEach((e, i) => {
        if (isRec(e) && e.type === 'button') chars += checkButton(out, e, `${path}.elements[${i}]`);
      });
      break;
    }
    default:
      break;
  }
  return chars;
}

function checkButton(out: SlackLimitViolation[], button: Rec, path: string): number {
  const chars = checkText(out, button.text, `${path}.text`, 'button_text', MAX_BUTTON_TEXT, ['plain_text']);
  if (typeof button.url === 'string' && button.url.length > MAX_BUTTON_URL) {
    out.push({ path: `${path}.url`, rule: 'button_url_length', limit: MAX_BUTTON_URL, actual: button.url.length, message: `${path}.url is longer than ${MAX_BUTTON_URL}` });
  }
  return chars;
}

/**
 * Checks a message against {@link SLACK_LIMITS} and returns every violation (empty when the message fits).
 * Accepts `unknown` so it can check what arrives over the wire (the `/testing` sink uses it).
 * Unknown block types are counted but not inspected.
 *
 * @example
 * ```ts
 * const violations = validateSlackMessage({ text: 'hi', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] });
 * // [{ path: 'blocks[0].text.text', rule: 'header_text_length', limit: 150, actual: 151, ... }]
 * ```
 */
export function validateSlackMessage(message: unknown): SlackLimitViolation[] {
  const out: SlackLimitViolation[] = [];
  if (!isRec(message)) return [{ path: '', rule: 'message_object', message: 'the message must be a JSON object' }];
  const text = message.text;
  const blocks = message.blocks;
  const attachments = message.attachments;
  if (typeof text !== 'string' || text.length === 0) {
    out.push({ path: 'text', rule: 'text_required', message: 'text must be a non-empty string (it is the notification and accessibility fallback)' });
  } else if (text.length > MAX_MESSAGE_TEXT) {
    out.push({ path: 'text', rule: 'text_length', limit: MAX_MESSAGE_TEXT, actual: text.length, message: `text has ${text.length} characters; the limit is ${MAX_MESSAGE_TEXT}` });
  }
  let blockCount = 0;
  let chars = 0;
  if (blocks !== undefined) {
    if (!Array.isArray(blocks)) out.push({ path: 'blocks', rule: 'blocks_array', message: 'blocks must be an array' });
    else {
      blockCount += blocks.length;
      blocks.forEach((b, i) => {
        chars += checkBlock(out, b, `blocks[${i}]`);
      });
    }
  }
  if (attachments !== undefined) {
    if (!Array.isArray(attachments)) out.push({ path: 'attachments', rule: 'attachments_array', message: 'attachments must be an array' });
    else {
      if (attachments.length > MAX_ATTACHMENTS) out.push({ path: 'attachments', rule: 'attachments_count', limit: MAX_ATTACHMENTS, actual: attachments.length, message: `${attachments.length} attachments; the limit is ${MAX_ATTACHMENTS}` });
      attachments.forEach((a, ai) => {
        if (!isRec(a)) {
          out.push({ path: `attachments[${ai}]`, rule: 'attachment_object', message: `attachments[${ai}] must be an object` });
          return;
        }
        if (a.blocks === undefined) return;
        if (!Array.isArray(a.blocks)) {
          out.push({ path: `attachments[${ai}].blocks`, rule: 'blocks_array', message: `attachments[${ai}].blocks must be an array` });
          return;
        }
        blockCount += a.blocks.length;
        a.blocks.forEach((b, i) => {
          chars += checkBlock(out, b, `attachments[${ai}].blocks[${i}]`);
        });
      });
    }
  }
  if (blockCount > MAX_BLOCKS) out.push({ path: 'blocks', rule: 'blocks_count', limit: MAX_BLOCKS, actual: blockCount, message: `${blockCount} blocks in total; the limit is ${MAX_BLOCKS}` });
  if (chars > BLOCK_CHARS_BUDGET) out.push({ path: 'blocks', rule: 'blocks_total_chars', limit: BLOCK_CHARS_BUDGET, actual: chars, message: `${chars} characters of text across blocks; keep it under ${BLOCK_CHARS_BUDGET} (Slack answers msg_blocks_too_long near 13k)` });
  return out;
}

/* ------------------------------------------------------------------------------------------------ */

function fitText(t: TextObject, max: number): void {
  if (t.text.length > max) t.text = t.type === 'plain_text' ? truncatePlain(t.text, max) : truncateMrkdwn(t.text, max);
  if (t.text.length === 0) t.text = ELLIPSIS;
}

function fitBlock(block: SlackBlock): SlackBlock | undefined {
  switch (block.type) {
    case 'header':
      if (block.text?.type !== 'plain_text') return undefined;
      fitText(block.text, MAX_HEADER_TEXT);
      return block;
    case 'section': {
      if (block.text) fitText(block.text, MAX_SECTION_TEXT);
      if (block.fields) {
        if (block.fields.length > MAX_SECTION_FIELDS) {
          const extra = block.fields.length - MAX_SECTION_FIELDS + 1;
          block.fields = block.fields.slice(0, MAX_SECTION_FIELDS - 1);
          block.fields.push({ type: 'mrkdwn', text: `${ELLIPSIS} ${extra} more fields` }); // extra ≥ 2: at least 11 fields were given
        }
        for (const f of block.fields) fitText(f, MAX_SECTION_FIELD_TEXT);
        if (block.fields.length === 0) delete block.fields;
      }
      if (block.accessory?.type === 'button') {
        fitText(block.accessory.text, MAX_BUTTON_TEXT);
        if ((block.accessory.url?.length ?? 0) > MAX_BUTTON_URL) delete block.accessory;
      }
      if (!block.text && !block.fields) return undefined;
      return block;
    }
    case 'context': {
      if (!Array.isArray(block.elements)) return undefined;
      if (block.elements.length > MAX_CONTEXT_ELEMENTS) block.elements = block.elements.slice(0, MAX_CONTEXT_ELEMENTS);
      for (const e of block.elements) if (e.type !== 'image') fitText(e, MAX_CONTEXT_TEXT);
      return block.elements.length ? block : undefined;
    }
    case 'actions': {
      if (!Array.isArray(block.elements)) return undefined;
      block.elements = block.elements
        .slice(0, MAX_ACTIONS_ELEMENTS)
        .filter((e) => e.type !== 'button' || (e.url?.length ?? 0) <= MAX_BUTTON_URL);
      for (const e of block.elements) if (e.type === 'button') fitText(e.text, MAX_BUTTON_TEXT);
      return block.elements.length ? block : undefined;
    }
    default:
      return block;
  }
}

function fitBlocks(blocks: SlackBlock[]): SlackBlock[] {
  return blocks.map(fitBlock).filter((b): b is SlackBlock => b !== undefined);
}

function textObjectsOf(block: SlackBlock): TextObject[] {
  switch (block.type) {
    case 'header':
      return [block.text];
    case 'section': {
      const list: TextObject[] = [];
      if (block.text) list.push(block.text);
      if (block.fields) list.push(...block.fields);
      if (block.accessory?.type === 'button') list.push(block.accessory.text);
      return list;
    }
    case 'context':
      return block.elements.filter((e): e is TextObject => e.type !== 'image');
    case 'actions':
      return block.elements.map((e) => e.text);
    default:
      return [];
  }
}

/**
 * Returns a copy of `message` that satisfies {@link SLACK_LIMITS}: long texts are truncated with a visible
 * `…` (never inside a `<…>` token, an entity or a surrogate pair), extra fields/blocks are dropped with a
 * "… N more" marker, and an empty `text` is filled from the first header or section. It never throws, so
 * the output of a custom formatter is always deliverable.
 *
 * @example
 * ```ts
 * const safe = fitSlackMessage({ text: 'x', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'y'.repeat(5000) } }] });
 * validateSlackMessage(safe); // []
 * ```
 */
export function fitSlackMessage(message: SlackMessage): SlackMessage {
  return fitInPlace(structuredClone(message) as SlackMessage);
}

/** {@link fitSlackMessage} without the defensive copy (for messages this package has just built). */
export function fitInPlace(copy: SlackMessage): SlackMessage {
  const groups: SlackBlock[][] = [];
  if (Array.isArray(copy.blocks)) {
    copy.blocks = fitBlocks(copy.blocks);
    groups.push(copy.blocks);
  }
  if (Array.isArray(copy.attachments)) {
    copy.attachments = copy.attachments.slice(0, MAX_ATTACHMENTS);
    for (const a of copy.attachments) {
      if (Array.isArray(a.blocks)) {
        a.blocks = fitBlocks(a.blocks);
        groups.push(a.blocks);
      }
    }
  }
  // Block count: drop from the end (attachments first), leaving a marker in the last kept group.
  const total = groups.reduce((n, g) => n + g.length, 0);
  if (total > MAX_BLOCKS) {
    let excess = total - MAX_BLOCKS + 1;
    let dropped = 0;
    for (let gi = groups.length - 1; gi >= 0 && excess > 0; gi--) {
      const g = groups[gi] as SlackBlock[];
      const n = Math.min(excess, g.length);
      g.splice(g.length - n, n);
      excess -= n;
      dropped += n;
    }
    const target = groups.find((g, i) => g.length > 0 && groups.slice(i + 1).every((h) => h.length === 0)) ?? groups[0];
    target?.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${ELLIPSIS} ${dropped} more blocks not shown (Slack allows ${MAX_BLOCKS})` }] }); // dropped ≥ 2
  }
  // Character budget: shrink the longest texts until everything fits.
  const texts = groups.flat().flatMap(textObjectsOf);
  const first = texts[0]; // in message order (texts is re-sorted below)
  let chars = texts.reduce((n, t) => n + t.text.length, 0);
  while (chars > BLOCK_CHARS_BUDGET) {
    texts.sort((a, b) => b.text.length - a.text.length);
    const longest = texts[0];
    if (!longest || longest.text.length <= 8) break;
    const before = longest.text.length;
    const next = Math.max(8, before - (chars - BLOCK_CHARS_BUDGET), Math.floor(before / 2));
    fitText(longest, next);
    chars -= before - longest.text.length;
  }
  if (copy.attachments) copy.attachments = copy.attachments.filter((a) => !Array.isArray(a.blocks) || a.blocks.length > 0);
  if (typeof copy.text !== 'string' || copy.text.trim() === '') {
    copy.text = first?.text || 'Notification';
  }
  if (copy.text.length > MAX_MESSAGE_TEXT) copy.text = truncateMrkdwn(copy.text, MAX_MESSAGE_TEXT);
  return copy;
}
