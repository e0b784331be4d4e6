// Sprig's path functions (package path; filepath is the same on Linux).
import { defineFuncs, strArg } from './signature.js';

/** path.Clean. */
function pathClean(p: string): string {
  if (p === '') return '.';
  const rooted = p[0] === '/';
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else out.push(seg);
  }
  const r = (rooted ? '/' : '') + out.join('/');
  return r === '' ? '.' : r;
}
/** path.Base. */
function pathBase(p: string): string {
  if (p === '') return '.';
  p = p.replace(/\/+$/, '');
  return p === '' ? '/' : p.slice(p.lastIndexOf('/') + 1);
}
/** path.Dir. */
const pathDir = (p: string): string => pathClean(p.slice(0, p.lastIndexOf('/') + 1));
/** path.Ext. */
function pathExt(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

export const PATH_FUNCS = defineFuncs((def) => {
  def(['base', 'osBase'], ['string'], (a) => pathBase(strArg(a, 0)));
  def(['dir', 'osDir'], ['string'], (a) => pathDir(strArg(a, 0)));
  def(['clean', 'osClean'], ['string'], (a) => pathClean(strArg(a, 0)));
  def(['ext', 'osExt'], ['string'], (a) => pathExt(strArg(a, 0)));
  def(['isAbs', 'osIsAbs'], ['string'], (a) => strArg(a, 0).startsWith('/'));
});
