/**
 * A small ESC/POS reader for tests: it walks the byte stream command by command, strips every
 * ESC/GS/FS command it knows (and fails on one it does not), and recovers what the printer
 * would print: text lines, QR payloads and cuts.
 */
export interface Decoded {
  readonly lines: string[];
  /** Line indexes printed (at least partly) in bold. */
  readonly bold: Set<number>;
  readonly qr: { payload: string; model: number; size: number; ecc: string }[];
  readonly cuts: number;
}

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
/** ESC commands followed by exactly one parameter byte. */
const ESC_ONE = new Set([
  0x21, 0x2d, 0x33, 0x45, 0x47, 0x4d, 0x52, 0x61, 0x64, 0x4a, 0x74, 0x7b, 0x34, 0x72,
]);
/**
 * The upper halves of the codepages the decoder can show (ESC t n as Epson numbers them), as
 * literal tables: Node's TextDecoder reads windows-1252 as Latin-1 and has no cp437 at all.
 */
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐' +
  '└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';
const WIN1252_HIGH =
  '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ' +
  Array.from({ length: 96 }, (_, i) => String.fromCharCode(0xa0 + i)).join('');
const HIGH: Record<number, string> = { 0: CP437_HIGH, 16: WIN1252_HIGH };

function decodeText(bytes: readonly number[], codepage: number): string {
  const high = HIGH[codepage];
  return bytes.map((b) => (b < 0x80 ? String.fromCharCode(b) : (high?.[b - 0x80] ?? '?'))).join('');
}

export function decodeEscPos(bytes: Uint8Array): Decoded {
  const lines: string[] = [];
  const bold = new Set<number>();
  const qr: Decoded['qr'] = [];
  let cuts = 0;
  let current: number[] = [];
  let codepage = 0;
  let isBold = false;
  let lineBold = false;
  let pending = { model: 0, size: 0, ecc: '' };
  const flushText = (): string => {
    const text = decodeText(current, codepage);
    current = [];
    return text;
  };
  let text = '';
  let i = 0;
  const byte = (at: number): number => {
    const b = bytes[at];
    if (b === undefined) throw new Error(`truncated command at byte ${at}`);
    return b;
  };
  while (i < bytes.length) {
    const b = byte(i);
    if (b === 0x0a) {
      text += flushText();
      if (lineBold) bold.add(lines.length);
      lines.push(text);
      text = '';
      lineBold = false;
      i += 1;
    } else if (b === 0x0d) {
      i += 1;
    } else if (b === ESC) {
      const cmd = byte(i + 1);
      text += flushText();
      if (cmd === 0x40)
        i += 2; // ESC @ initialise
      else if (ESC_ONE.has(cmd)) {
        const n = byte(i + 2);
        if (cmd === 0x74) codepage = n;
        if (cmd === 0x45) isBold = n === 1;
        i += 3;
      } else throw new Error(`unknown ESC 0x${cmd.toString(16)} at byte ${i}`);
    } else if (b === GS) {
      const cmd = byte(i + 1);
      text += flushText();
      if (cmd === 0x21 || cmd === 0x42)
        i += 3; // GS ! size, GS B invert
      else if (cmd === 0x56) {
        // GS V m (0/1/48/49) or GS V m n (65/66): cut
        const m = byte(i + 2);
        cuts += 1;
        i += m === 65 || m === 66 ? 4 : 3;
      } else if (cmd === 0x28 && byte(i + 2) === 0x6b) {
        // GS ( k pL pH cn fn [params]: the 2D-symbol function
        const len = byte(i + 3) + byte(i + 4) * 256;
        const body = bytes.subarray(i + 5, i + 5 + len);
        const [cn, fn] = [body[0], body[1]];
        if (cn === 0x31 && fn === 0x41) pending.model = (body[2] ?? 0) - 0x30;
        if (cn === 0x31 && fn === 0x43) pending.size = body[2] ?? 0;
        if (cn === 0x31 && fn === 0x45) pending.ecc = 'LMQH'[(body[2] ?? 0) - 0x30] ?? '?';
        if (cn === 0x31 && fn === 0x50) {
          qr.push({ ...pending, payload: new TextDecoder('latin1').decode(body.subarray(3)) });
          pending = { model: 0, size: 0, ecc: '' };
        }
        i += 5 + len;
      } else throw new Error(`unknown GS 0x${cmd.toString(16)} at byte ${i}`);
    } else if (b === FS) {
      const cmd = byte(i + 1);
      if (cmd === 0x2e)
        i += 2; // FS . cancel Kanji mode
      else throw new Error(`unknown FS 0x${cmd.toString(16)} at byte ${i}`);
    } else if (b < 0x20) {
      throw new Error(`unexpected control byte 0x${b.toString(16)} at byte ${i}`);
    } else {
      current.push(b);
      if (isBold && b !== 0x20) lineBold = true;
      i += 1;
    }
  }
  text += flushText();
  if (text) lines.push(text);
  return { lines, bold, qr, cuts };
}
