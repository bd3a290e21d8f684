/**
 * Tokenizer for label selector strings, after the Lexer in k8s.io/apimachinery/pkg/labels/selector.go.
 * Quirks kept on purpose: a NUL character ends an identifier (and, between tokens, the input),
 * and "in"/"notin" are keywords only where the parser asks for an operator.
 */

export type TokenKind =
  | 'error' | 'eos' | 'closePar' | 'comma' | 'doesNotExist' | 'doubleEquals' | 'equals'
  | 'greaterThan' | 'identifier' | 'in' | 'lessThan' | 'notEquals' | 'notIn' | 'openPar';

export interface Token {
  kind: TokenKind;
  literal: string;
}

const literalTokens: Record<string, TokenKind> = {
  ')': 'closePar', ',': 'comma', '!': 'doesNotExist', '==': 'doubleEquals', '=': 'equals',
  '>': 'greaterThan', in: 'in', '<': 'lessThan', '!=': 'notEquals', notin: 'notIn', '(': 'openPar',
};

function tokenFor(text: string): TokenKind | undefined {
  return Object.prototype.hasOwnProperty.call(literalTokens, text) ? literalTokens[text] : undefined;
}

const END = '\0';

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

function isSpecialSymbol(ch: string): boolean {
  return ch === '=' || ch === '!' || ch === '(' || ch === ')' || ch === ',' || ch === '>' || ch === '<';
}

class Lexer {
  private pos = 0;
  constructor(private readonly s: string) {}

  /** The next character, or NUL at the end (Go returns byte 0 for both). */
  private read(): string {
    if (this.pos >= this.s.length) return END;
    return this.s[this.pos++] ?? END;
  }

  private unread(): void {
    this.pos--;
  }

  private scanIdOrKeyword(): Token {
    let buffer = '';
    for (;;) {
      const ch = this.read();
      if (ch === END) break;
      if (isSpecialSymbol(ch) || isWhitespace(ch)) {
        this.unread();
        break;
      }
      buffer += ch;
    }
    return { kind: tokenFor(buffer) ?? 'identifier', literal: buffer };
  }

  /** Longest run of symbols that still forms a token ("!=" over "!", "==" over "="). */
  private scanSpecialSymbol(): Token {
    let buffer = '';
    let last: Token | undefined;
    for (;;) {
      const ch = this.read();
      if (ch === END) break;
      if (!isSpecialSymbol(ch)) {
        this.unread();
        break;
      }
      buffer += ch;
      const kind = tokenFor(buffer);
      if (kind) {
        last = { kind, literal: buffer };
      } else if (last) {
        this.unread();
        break;
      }
    }
    return last ?? { kind: 'error', literal: `error expected: keyword found '${buffer}'` };
  }

  lex(): Token {
    let ch = this.read();
    while (isWhitespace(ch)) ch = this.read();
    if (ch === END) return { kind: 'eos', literal: '' };
    this.unread();
    return isSpecialSymbol(ch) ? this.scanSpecialSymbol() : this.scanIdOrKeyword();
  }
}

/** All tokens of `s`, ending with one 'eos'. */
export function scanLabelSelector(s: string): Token[] {
  const lexer = new Lexer(s);
  const tokens: Token[] = [];
  for (;;) {
    const t = lexer.lex();
    tokens.push(t);
    if (t.kind === 'eos') return tokens;
  }
}
