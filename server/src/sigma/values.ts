/**
 * Value transformations of Sigma modifiers, producing the strings a rule really matches
 * (the contract: "Sigma values keep their meaning after the modifiers are applied").
 */

/** A value on its way through the modifier chain: text, or bytes after a utf16 encoding. */
export type ChainValue = string | Buffer;

export function utf16(value: ChainValue, mode: 'utf16le' | 'utf16be' | 'utf16'): ChainValue {
  const text = typeof value === 'string' ? value : value.toString('latin1');
  const le = Buffer.from(text, 'utf16le');
  if (mode === 'utf16le') return le;
  if (mode === 'utf16') return Buffer.concat([Buffer.from([0xff, 0xfe]), le]);
  const be = Buffer.alloc(le.length);
  for (let i = 0; i + 1 < le.length; i += 2) {
    be[i] = le[i + 1] ?? 0;
    be[i + 1] = le[i] ?? 0;
  }
  return be;
}

function bytesOf(value: ChainValue): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

export function base64(value: ChainValue): string {
  return bytesOf(value).toString('base64');
}

/**
 * The three shifted encodings pySigma's base64offset produces, so a value is found wherever it sits in
 * a base64 blob: encode with 0–2 leading pad bytes, then drop the characters the padding and the
 * unknown neighbours affect.
 */
export function base64Offsets(value: ChainValue): string[] {
  const bytes = bytesOf(value);
  const startOffsets = [0, 2, 3];
  const endOffsets = [undefined, -3, -2];
  const variants: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const padded = Buffer.concat([Buffer.alloc(shift, 0x20), bytes]);
    const encoded = padded.toString('base64');
    const end = endOffsets[(bytes.length + shift) % 3];
    variants.push(encoded.slice(startOffsets[shift], end));
  }
  return variants;
}

export function chainText(value: ChainValue): string {
  return typeof value === 'string' ? value : value.toString('latin1');
}
