/**
 * mailauth's structured-header parser (the one it uses for DKIM-Signature and
 * Authentication-Results), which ships without types. Only what we read is declared.
 */
declare module 'mailauth/lib/parse-dkim-headers.js' {
  type Entry = { value: string; comment?: string; [prop: string]: unknown };
  type Parsed = { header?: string; value?: string; dkim?: Entry[]; spf?: Entry; dmarc?: Entry; [method: string]: unknown };
  export default function parseHeader(line: string | Buffer): { parsed: Parsed; original: string | Buffer };
}
