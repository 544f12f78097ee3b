# Ranking rules replayed on the candidates rank_study.py collected: which rule would pick a program
# that is right on the held-out examples, per task. Usage: python3 sim.py STUDY.jsonl
import json, sys
recs=[json.loads(l) for l in open(sys.argv[1])]
def pick(cands, key):
    return min(range(len(cands)), key=lambda i: (key(cands[i]), i))
rules={
 'model': lambda c: -(c['score'] if c['score'] is not None else -1e9),
 'size,model': lambda c: (c['size'], -(c['score'] or -1e9)),
}
for lam in [0.25,0.5,1,1.5,2,3,4,6]:
    rules[f'score-{lam}*size']=(lambda l: lambda c: -((c['score'] or -1e9) - l*c['size']))(lam)
for name,key in rules.items():
    good=sum(r['cands'][pick(r['cands'],key)]['good'] for r in recs if r['cands'])
    print(f"{name:20s} {good}/{len(recs)}")
print('oracle', sum(any(c['good'] for c in r['cands']) for r in recs))
