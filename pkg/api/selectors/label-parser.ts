/**
 * Recursive-descent parser for label selector strings, after Parser in
 * k8s.io/apimachinery/pkg/labels/selector.go as shipped in Kubernetes 1.32. Every error message
 * is the Go one, so `?labelSelector=` failures read exactly like the real apiserver's.
 */
import { compareBytes, SelectorSyntaxError } from './go-format.ts';
import { scanLabelSelector, type Token, type TokenKind } from './label-lexer.ts';
import { binaryOperatorList, labelKeyError, newRequirement, type LabelOperator, type LabelRequirement } from './requirement.ts';

/** Where "in"/"notin" may be values or keys rather than operators. */
type Context = 'keyAndOperator' | 'values';

class Parser {
  private position = 0;
  constructor(private readonly items: readonly Token[]) {}

  private at(i: number, context: Context): Token {
    const t = this.items[Math.min(i, this.items.length - 1)] ?? { kind: 'eos', literal: '' };
    if (context === 'values' && (t.kind === 'in' || t.kind === 'notIn')) return { kind: 'identifier', literal: t.literal };
    return t;
  }

  private lookahead(context: Context): Token {
    return this.at(this.position, context);
  }

  private consume(context: Context): Token {
    return this.at(this.position++, context);
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const t = this.lookahead('values');
      if (t.kind === 'eos') return requirements;
      if (t.kind !== 'identifier' && t.kind !== 'doesNotExist') {
        throw new SelectorSyntaxError(`found '${t.literal}', expected: !, identifier, or 'end of string'`);
      }
      try {
        requirements.push(this.parseRequirement());
      } catch (err) {
        if (err instanceof SelectorSyntaxError) throw new SelectorSyntaxError(`unable to parse requirement: ${err.message}`);
        throw err;
      }
      const next = this.consume('values');
      if (next.kind === 'eos') return requirements;
      if (next.kind !== 'comma') throw new SelectorSyntaxError(`found '${next.literal}', expected: ',' or 'end of string'`);
      const after = this.lookahead('values');
      if (after.kind !== 'identifier' && after.kind !== 'doesNotExist') {
        throw new SelectorSyntaxError(`found '${after.literal}', expected: identifier after ','`);
      }
    }
  }

  private parseRequirement(): LabelRequirement {
    const { key, operator } = this.parseKeyAndInferOperator();
    if (operator === 'exists' || operator === '!') return newRequirement(key, operator, []);
    const op = this.parseOperator();
    const values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, op, [...values].sort(compareBytes));
  }

  /** A key, with '!' before it or nothing after it meaning does-not-exist / exists. */
  private parseKeyAndInferOperator(): { key: string; operator: LabelOperator | undefined } {
    let operator: LabelOperator | undefined;
    let t = this.consume('values');
    if (t.kind === 'doesNotExist') {
      operator = '!';
      t = this.consume('values');
    }
    if (t.kind !== 'identifier') throw new SelectorSyntaxError(`found '${t.literal}', expected: identifier`);
    const keyErr = labelKeyError(t.literal, null);
    if (keyErr) throw new SelectorSyntaxError(keyErr);
    const next = this.lookahead('values').kind;
    if ((next === 'eos' || next === 'comma') && operator !== '!') operator = 'exists';
    return { key: t.literal, operator };
  }

  private parseOperator(): LabelOperator {
    const t = this.consume('keyAndOperator');
    const ops: Partial<Record<TokenKind, LabelOperator>> = {
      in: 'in', equals: '=', doubleEquals: '==', greaterThan: 'gt', lessThan: 'lt', notIn: 'notin', notEquals: '!=',
    };
    const op = ops[t.kind];
    if (!op) throw new SelectorSyntaxError(`found '${t.literal}', expected: ${binaryOperatorList}`);
    return op;
  }

  /** "(a,b,,c)": empty entries stand for the empty value; "()" is the set {""}. */
  private parseValues(): Set<string> {
    const open = this.consume('values');
    if (open.kind !== 'openPar') throw new SelectorSyntaxError(`found '${open.literal}' expected: '('`);
    const t = this.lookahead('values');
    if (t.kind === 'identifier' || t.kind === 'comma') {
      const s = this.parseIdentifiersList();
      if (this.consume('values').kind !== 'closePar') throw new SelectorSyntaxError(`found '${t.literal}', expected: ')'`);
      return s;
    }
    if (t.kind === 'closePar') {
      this.consume('values');
      return new Set(['']);
    }
    throw new SelectorSyntaxError(`found '${t.literal}', expected: ',', ')' or identifier`);
  }

  /**
   * 1.32 behaviour: on ",," the second comma is swallowed, so "(a,,)" is an error there
   * (kubernetes/kubernetes#133419 changed this later behind a feature gate).
   */
  private parseIdentifiersList(): Set<string> {
    const s = new Set<string>();
    for (;;) {
      const t = this.consume('values');
      if (t.kind === 'identifier') {
        s.add(t.literal);
        const next = this.lookahead('values');
        if (next.kind === 'comma') continue;
        if (next.kind === 'closePar') return s;
        throw new SelectorSyntaxError(`found '${next.literal}', expected: ',' or ')'`);
      }
      if (t.kind !== 'comma') throw new SelectorSyntaxError(`found '${t.literal}', expected: ',', or identifier`);
      if (s.size === 0) s.add('');
      const next = this.lookahead('values').kind;
      if (next === 'closePar') {
        s.add('');
        return s;
      }
      if (next === 'comma') {
        this.consume('values');
        s.add('');
      }
    }
  }

  /** The single value after =, ==, !=, > or <; nothing there means the empty value. */
  private parseExactValue(): Set<string> {
    const next = this.lookahead('values').kind;
    if (next === 'eos' || next === 'comma') return new Set(['']);
    const t = this.consume('values');
    if (t.kind === 'identifier') return new Set([t.literal]);
    throw new SelectorSyntaxError(`found '${t.literal}', expected: identifier`);
  }
}

/** labels.Parse: requirements sorted by key (stable). Throws SelectorSyntaxError with the Go message. */
export function parseLabelRequirements(selector: string): LabelRequirement[] {
  const requirements = new Parser(scanLabelSelector(selector)).parse();
  return requirements.sort((a, b) => compareBytes(a.key, b.key));
}
