/**
 * A delegation's mark: its country code on its colour. Flag emoji are not drawn on every
 * system (Windows shows letters), so the mark is the same everywhere; the name stands beside it.
 */
export function DelegationMark({ code, colour }: { code: string; colour: string }) {
  return (
    <span className="delegation-mark" aria-hidden="true" style={{ background: colour }}>
      {code.toUpperCase()}
    </span>
  );
}
