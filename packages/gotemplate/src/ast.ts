// The syntax tree the parser builds and the evaluator walks (a small text/template/parse).

/** Byte offsets of a node in the source, for error messages. */
export interface Span {
  pos: number;
  end: number;
}
export type VarArg = Span & { k: 'field' | 'variable'; idents: string[] };
/** An operand of a command. */
export type Arg =
  | VarArg
  | (Span &
      (
        | { k: 'chain'; node: Arg; fields: string[] }
        | { k: 'ident'; name: string }
        | { k: 'dot' | 'nil' }
        | { k: 'bool'; v: boolean }
        | {
            k: 'number';
            text: string;
            isInt: boolean;
            isUint: boolean;
            isFloat: boolean;
            int: bigint;
            float: number;
            complex?: [number, number];
          }
        | { k: 'string'; v: string }
        | { k: 'pipe'; pipe: Pipe }
      ));
export interface Cmd extends Span {
  args: Arg[];
}
/** A pipeline: optional variable declarations, then commands joined by '|'. */
export interface Pipe extends Span {
  decl: string[];
  isAssign: boolean;
  cmds: Cmd[];
}
export type Node =
  | { k: 'text'; text: string }
  | { k: 'comment' }
  | (Span & { k: 'action'; pipe: Pipe })
  | ControlNode
  | (Span & { k: 'break' | 'continue' })
  | (Span & { k: 'template'; name: string; pipe: Pipe | null });
export type ControlNode = Span & { k: 'if' | 'with' | 'range'; pipe: Pipe; list: Node[]; elseList: Node[] | null };
/** The templates of one source by name: the source itself and its define'd and block templates. */
export type Trees = Map<string, Node[]>;
