import { useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { itemsSchema, type Item } from '../api/schemas';
import type { Auth } from '../auth';

const DEBOUNCE_MS = 120;

/**
 * Search-as-you-type over the store's catalog (the node's full-text index): arrows move through
 * the results, Enter adds, Escape clears. A combobox in the WAI-ARIA sense.
 */
export function Search({
  auth,
  onPick,
  inputRef,
}: {
  auth: Auth;
  onPick: (item: Item) => void;
  inputRef: RefObject<HTMLInputElement | null>;
}) {
  const [text, setText] = useState('');
  const [items, setItems] = useState<Item[]>([]);
  const [active, setActive] = useState(0);
  const asked = useRef(0);
  const listId = useId();
  useEffect(() => {
    const q = text.trim();
    const n = ++asked.current;
    if (q.length < 2) {
      setItems([]);
      return;
    }
    const t = setTimeout(() => {
      auth.api
        .get(`/api/items?search=${encodeURIComponent(q)}`, itemsSchema)
        .then((r) => {
          if (n !== asked.current) return;
          setItems(r.items.slice(0, 20));
          setActive(0);
        })
        .catch(() => {
          if (n === asked.current) setItems([]);
        });
    }, DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [auth, text]);
  const pick = (item: Item | undefined) => {
    if (!item) return;
    onPick(item);
    setText('');
    setItems([]);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => Math.min(a + 1, items.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      pick(items[active]);
    } else if (e.key === 'Escape') {
      setText('');
      setItems([]);
    }
  };
  const open = items.length > 0;
  return (
    <div className="search">
      <label htmlFor="search" className="visually-hidden">
        Search items
      </label>
      <input
        id="search"
        ref={inputRef}
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open ? `${listId}-${active}` : undefined}
        placeholder="Search items (F2) — or just scan"
        autoComplete="off"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKey}
      />
      <ul
        id={listId}
        role="listbox"
        aria-label="Items found"
        className={open ? 'results' : 'results hidden'}
      >
        {items.map((item, i) => (
          <li
            key={item.item_code}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'active' : ''}
            onMouseDown={(e) => {
              e.preventDefault();
              pick(item);
            }}
          >
            <span>{item.item_name}</span>
            <small>{item.item_code}</small>
          </li>
        ))}
      </ul>
    </div>
  );
}
