import { FlakinessClass } from '@testpulse/contracts';
import { Judged, listingOrder } from './flakiness.service';

const CLASSES: FlakinessClass[] = ['flaky', 'broken', 'stable', 'insufficient-data'];
const ORDER: Record<FlakinessClass, number> = { flaky: 0, broken: 1, stable: 2, 'insufficient-data': 3 };

describe('listingOrder', () => {
  it('lists as a full sort by class, score and name does, asking names only of the ties it orders', () => {
    let seed = 3;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    // Names repeat (ties on all three keys keep the given order) and mix case and accents.
    const names = ['beta', 'Alpha', 'alpha', 'Émile', 'zeta', 'gamma 10', 'gamma 9'];
    const judged: Judged[] = Array.from({ length: 400 }, (_, t) => {
      const classification = CLASSES[Math.floor(random() * 4)];
      const score = classification === 'flaky' ? Math.round(random() * 5) / 100 : 0;
      return { t, classification, score };
    });
    const nameOf = (t: number) => names[(t * 7) % names.length];
    const collator = new Intl.Collator();
    const reference = [...judged].sort(
      (a, b) =>
        ORDER[a.classification] - ORDER[b.classification] ||
        b.score - a.score ||
        collator.compare(nameOf(a.t), nameOf(b.t)),
    );
    for (const listed of [0, 1, 10, 150, 400, 1000]) {
      const asked = new Set<number>();
      const list = [...judged];
      listingOrder(list, listed, (t) => {
        asked.add(t);
        return nameOf(t);
      });
      expect(list.map((j) => j.t)).toEqual(reference.slice(0, listed).map((j) => j.t));
      if (listed <= 10) expect(asked.size).toBeLessThan(judged.length / 2);
    }
  });
});
