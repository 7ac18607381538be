const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const SCALES = ['', 'thousand', 'million', 'billion', 'trillion'];

function belowHundred(n: number): string {
  if (n < 20) return ONES[n] ?? '';
  const t = TENS[Math.floor(n / 10)] ?? '';
  return n % 10 ? `${t} ${ONES[n % 10] ?? ''}` : t;
}

function belowThousand(n: number): string {
  const h = Math.floor(n / 100);
  const rest = n % 100;
  if (!h) return belowHundred(rest);
  return rest ? `${ONES[h] ?? ''} hundred and ${belowHundred(rest)}` : `${ONES[h] ?? ''} hundred`;
}

/** num2words(n, lang="en") with hyphens as spaces, as Frappe's in_words returns it. */
function inWords(n: number): string {
  if (n === 0) return 'zero';
  const groups: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 1000)) groups.push(v % 1000);
  const parts: string[] = [];
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i] ?? 0;
    if (g) parts.push(`${belowThousand(g)}${SCALES[i] ? ` ${SCALES[i]}` : ''}`);
  }
  const last = groups[0] ?? 0;
  if (parts.length > 1 && last > 0 && last < 100) {
    const tail = parts.pop() ?? '';
    return `${parts.join(', ')} and ${tail}`;
  }
  return parts.join(', ');
}

const title = (s: string): string => s.replace(/\b[a-z]/g, (c) => c.toUpperCase());

/** Frappe's money_in_words for a two-decimal currency ("USD Ten and Fifty Cent only."). */
export function moneyInWords(amount: number, currency: string, fraction = 'Cent'): string {
  if (amount < 0) return '';
  const [main = '0', frac = '00'] = amount.toFixed(2).split('.');
  let out: string;
  if (main === '0' && Number(frac) === 0) out = `${currency} Zero`;
  else if (main === '0') out = `${title(inWords(Number(frac)))} ${fraction}`;
  else {
    out = `${currency} ${title(inWords(Number(main)))}`;
    if (Number(frac)) out += ` and ${title(inWords(Number(frac)))} ${fraction}`;
  }
  return `${out} only.`;
}
