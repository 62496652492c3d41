/**
 * A formula typeset by KaTeX. katex.render builds DOM nodes and sets their styles through the
 * CSSOM, which the page's Content-Security-Policy (style-src 'self') allows; renderToString's
 * inline style attributes would be blocked.
 */
import katex from 'katex';
import 'katex/dist/katex.min.css';
import { memo, useEffect, useRef } from 'react';

export const Formula = memo(function Formula({ tex, display = false }: { tex: string; display?: boolean }) {
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (ref.current) katex.render(tex, ref.current, { displayMode: display, throwOnError: false });
  }, [tex, display]);
  return <span ref={ref} className={display ? 'step-formula display' : 'step-formula'} data-testid="step-formula" />;
});
