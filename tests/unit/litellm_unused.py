# Independent count of the LiteLLM prices agentcost cannot use (issue 18): run
#   python3 tests/unit/litellm_unused.py ../shared/fixtures/third_party/litellm_model_prices.json
# Used when the entry is imported (input and output price, top level or from the
# first tiered_pricing range): the base keys, kind[_above_<N>k_tokens][_flex|_priority|_batches],
# and a tiered_pricing list whose every range is usable.
import json,collections as C,sys,re
d=json.load(open(sys.argv[1]))
M={'input_cost_per_token','output_cost_per_token','cache_read_input_token_cost','cache_creation_input_token_cost','output_cost_per_reasoning_token','input_cost_per_token_above_200k_tokens','output_cost_per_token_above_200k_tokens'}
G=re.compile(r'^(cache_creation_input_token_cost_above_1hr|cache_creation_input_token_cost|cache_read_input_token_cost|input_cost_per_audio_token|output_cost_per_audio_token|output_cost_per_reasoning_token|input_cost_per_token|output_cost_per_token)(_above_[1-9][0-9]*k_tokens)?(_flex|_priority|_batches)?$')
p=lambda v:(type(v) in (int,float) and v>0) or (type(v) is list and any(map(p,v))) or (type(v) is dict and any(p(x) for k,x in v.items() if k!='range'))
num=lambda v: type(v) in (int,float) and not isinstance(v,bool) and v>=0
def rng_ok(r):
    if type(r) is not dict: return False
    g=r.get('range')
    if type(g) is not list or len(g)!=2 or not all(num(x) for x in g) or g[0]!=int(g[0]): return False
    any_=False
    for k,v in r.items():
        if k=='range': continue
        m=G.match(k)
        if not m or m.group(2) or m.group(3):
            if p(v): return False
            continue
        if v is None: continue
        if not num(v): return False
        any_=True
    return any_
def tp_ok(e):
    t=e.get('tiered_pricing')
    if not (type(t) is list and len(t)>0 and all(rng_ok(r) for r in t)): return False
    for r in t:
        if r['range'][0]==0:
            for k in ('input_cost_per_token','output_cost_per_token','cache_read_input_token_cost','cache_creation_input_token_cost','output_cost_per_reasoning_token'):
                if e.get(k) is not None and r.get(k) is not None and e[k]!=r[k]: return False
    return True
def imp(e):
    i=e.get('input_cost_per_token'); o=e.get('output_cost_per_token')
    if tp_ok(e):
        for r in e['tiered_pricing']:
            if r['range'][0]==0:
                if i is None: i=r.get('input_cost_per_token')
                if o is None: o=r.get('output_cost_per_token')
    return i is not None and o is not None
def used(e,k,v):
    if k=='tiered_pricing': return tp_ok(e)
    return (k in M or G.match(k)) and num(v)
E=[(n,e) for n,e in d.items() if n!='sample_spec' and type(e) is dict]
U=[[k for k,v in e.items() if ('cost' in k or 'pricing' in k) and not (imp(e) and used(e,k,v)) and p(v)] for n,e in E]
c=C.Counter(k for u in U for k in u)
for k in sorted(c): print(k,c[k])
print('keys',len(c),'lost',sum(1 for u in U if u),'imported',sum(1 for n,e in E if imp(e)))
