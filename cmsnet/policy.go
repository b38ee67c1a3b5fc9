package cmsnet

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"go4.org/netipx"
)

// RuleKind says what kind of declaration a Rule comes from.
type RuleKind string

// Rule kinds.
const (
	// RuleSource is a publication's source prefix (minus its excepts).
	RuleSource RuleKind = "source"
	// RuleGrant is an approved grant (CMS2-03).
	RuleGrant RuleKind = "grant"
	// RulePublicCMS admits one connected entity to a public cms service.
	RulePublicCMS RuleKind = "cms-public"
	// RuleExtranet admits one member of an extranet.
	RuleExtranet RuleKind = "extranet"
	// RuleExcept denies what a source rule's except removed.
	RuleExcept RuleKind = "except"
	// RuleCriticalIPsec denies an IPsec-connected entity a critical
	// service (C1).
	RuleCriticalIPsec RuleKind = "critical-ipsec"
)

// Rule is one compiled rule, traceable to the descriptor.
type Rule struct {
	Kind        RuleKind
	Allow       bool
	Service     string
	Environment Environment
	// Path is where the rule is declared, e.g. "grants[3]".
	Path         string
	Line, Column int
	// Entity is the entity the rule concerns, if any.
	Entity string
	// Grant is the grant's id for RuleGrant.
	Grant string
	// Expires is the grant's expiry; zero means none.
	Expires time.Time
}

// String renders "kind path (line:col)".
func (r *Rule) String() string {
	s := string(r.Kind) + " " + r.Path
	if r.Grant != "" {
		s += " (grant " + r.Grant + ")"
	} else if r.Entity != "" {
		s += " (entity " + r.Entity + ")"
	}
	if r.Line > 0 {
		s += fmt.Sprintf(" at %d:%d", r.Line, r.Column)
	}
	return s
}

// Policy is a validated descriptor compiled for evaluation. It is
// immutable and safe for concurrent use.
type Policy struct {
	now         func() time.Time
	rules       []Rule
	index       map[svcEnv]*envIndex
	services    map[string]*pubInfo
	conns       map[string]Connection
	entitySpans []span // rule field indexes entityIDs
	entityIDs   []string
	results     []TestResult
}

type pubInfo struct {
	critical bool
	envs     []Environment
}

type svcEnv struct {
	service string
	env     Environment
}

type envIndex struct {
	critical  bool
	addresses []netip.Addr
	endpoints []Endpoint
	spans     []span // sorted, disjoint
	// spans4 repeats the IPv4 spans as integers: a cache-friendly lookup
	// for the common case.
	spans4 []span4
}

// span4 is an IPv4 span as integers.
type span4 struct {
	from, to uint32
	rule     int32
}

func u32(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// span is an address range decided by one rule.
type span struct {
	from, to netip.Addr
	rule     int32
}

// TestResult is the outcome of one descriptor test.
type TestResult struct {
	Test     Test
	Decision Decision
	Passed   bool
}

// TestResults returns the outcome of the descriptor's tests, all passed.
func (p *Policy) TestResults() []TestResult { return slices.Clone(p.results) }

// compiler builds a Policy from a validated descriptor.
type compiler struct {
	d        *Descriptor
	p        *Policy
	entities map[string]*Entity
}

func (c *compiler) rule(r Rule) int32 {
	if at, ok := c.d.pos[r.Path]; ok {
		r.Line, r.Column = at.line, at.col
	}
	c.p.rules = append(c.p.rules, r)
	return int32(len(c.p.rules) - 1)
}

type item struct {
	r    netipx.IPRange
	rule int32
}

func compilePolicy(d *Descriptor, cfg *resolved) *Policy {
	p := &Policy{now: cfg.now, index: map[svcEnv]*envIndex{}, services: map[string]*pubInfo{}, conns: map[string]Connection{}}
	c := &compiler{d: d, p: p, entities: map[string]*Entity{}}
	for i, e := range d.Entities {
		c.entities[e.ID] = &d.Entities[i]
		p.conns[e.ID] = e.Connection
		for _, pre := range e.Prefixes {
			p.entitySpans = append(p.entitySpans, span{pre.Addr(), netipx.PrefixLastIP(pre), int32(i)})
		}
		p.entityIDs = append(p.entityIDs, e.ID)
	}
	slices.SortFunc(p.entitySpans, func(a, b span) int { return a.from.Compare(b.from) })
	allows := map[svcEnv][]item{}
	denies := map[svcEnv][]item{}
	for i := range d.Publications {
		c.publication(i, allows, denies)
	}
	for i, g := range d.Grants {
		k := svcEnv{g.Service, g.Environment}
		if g.State != GrantApproved || p.index[k] == nil {
			continue
		}
		r := c.rule(Rule{Kind: RuleGrant, Allow: true, Service: g.Service, Environment: g.Environment,
			Path: index("grants", i), Entity: g.Entity, Grant: g.ID, Expires: g.Expires})
		for _, s := range g.Sources {
			allows[k] = append(allows[k], item{netipx.RangeOfPrefix(s), r})
		}
	}
	for k, idx := range p.index {
		idx.spans = buildSpans(allows[k], denies[k])
		for _, sp := range idx.spans {
			if sp.from.Is4() {
				idx.spans4 = append(idx.spans4, span4{u32(sp.from), u32(sp.to), sp.rule})
			}
		}
	}
	return p
}

func (c *compiler) publication(i int, allows, denies map[svcEnv][]item) {
	pub := &c.d.Publications[i]
	info := &pubInfo{critical: pub.Critical}
	c.p.services[pub.Service] = info
	for j := range pub.Environments {
		e := &pub.Environments[j]
		path := index(index("publications", i)+".environments", j)
		k := svcEnv{pub.Service, e.Environment}
		info.envs = append(info.envs, e.Environment)
		c.p.index[k] = &envIndex{critical: pub.Critical, addresses: slices.Clone(e.Addresses), endpoints: slices.Clone(e.Endpoints)}
		c.sources(k, e.Sources, path, allows, denies)
		switch {
		case e.Environment == EnvCMS && e.Access == AccessPublic:
			c.members(k, pub.Critical, c.allEntities(), RulePublicCMS, path, allows, denies)
		case e.Environment == EnvExtranet:
			for _, x := range c.d.Extranets {
				if x.ID == e.Extranet {
					c.members(k, pub.Critical, x.Members, RuleExtranet, path, allows, denies)
				}
			}
		}
	}
	if b := pub.ServiceBus; b != nil {
		k := svcEnv{pub.Service, EnvServiceBus}
		info.envs = append(info.envs, EnvServiceBus)
		c.p.index[k] = &envIndex{critical: pub.Critical, addresses: slices.Clone(b.Addresses), endpoints: slices.Clone(b.Endpoints)}
		c.sources(k, b.Sources, index("publications", i)+".serviceBus", allows, denies)
	}
}

func (c *compiler) allEntities() []string {
	out := make([]string, len(c.d.Entities))
	for i, e := range c.d.Entities {
		out[i] = e.ID
	}
	return out
}

func (c *compiler) sources(k svcEnv, srcs []Source, path string, allows, denies map[svcEnv][]item) {
	for i, s := range srcs {
		sp := index(path+".sources", i)
		r := c.rule(Rule{Kind: RuleSource, Allow: true, Service: k.service, Environment: k.env, Path: sp})
		var b netipx.IPSetBuilder
		b.AddPrefix(s.Prefix)
		for j, ex := range s.Except {
			b.RemovePrefix(ex)
			dr := c.rule(Rule{Kind: RuleExcept, Service: k.service, Environment: k.env, Path: index(sp+".except", j)})
			denies[k] = append(denies[k], item{netipx.RangeOfPrefix(ex), dr})
		}
		set, _ := b.IPSet() // valid prefixes only: cannot fail
		for _, rg := range set.Ranges() {
			allows[k] = append(allows[k], item{rg, r})
		}
	}
}

// members adds one rule per entity; a critical service denies entities
// connected over Internet IPsec instead (C1).
func (c *compiler) members(k svcEnv, critical bool, ids []string, kind RuleKind, path string, allows, denies map[svcEnv][]item) {
	for _, id := range ids {
		if e := c.entities[id]; e != nil {
			target := allows
			r := Rule{Kind: kind, Allow: true, Service: k.service, Environment: k.env, Path: path, Entity: id}
			if critical && e.Connection == ConnVPNIPsec {
				target, r.Kind, r.Allow = denies, RuleCriticalIPsec, false
			}
			ri := c.rule(r)
			for _, pre := range e.Prefixes {
				target[k] = append(target[k], item{netipx.RangeOfPrefix(pre), ri})
			}
		}
	}
}

// buildSpans merges allow and deny items into sorted disjoint spans.
// Allows win over denies; among overlapping items of one kind the one
// starting first wins (validation rejects overlapping allows, so this
// only matters for unvalidated input).
func buildSpans(allows, denies []item) []span {
	a := disjoint(allows)
	d := disjoint(denies)
	out := make([]span, 0, len(a)+len(d))
	out = append(out, a...)
	j := 0
	for _, s := range d {
		from := s.from
		for from.IsValid() && from.Compare(s.to) <= 0 {
			for j < len(a) && a[j].to.Compare(from) < 0 {
				j++
			}
			if j == len(a) || a[j].from.Compare(s.to) > 0 {
				out = append(out, span{from, s.to, s.rule})
				break
			}
			if a[j].from.Compare(from) > 0 {
				out = append(out, span{from, a[j].from.Prev(), s.rule})
			}
			from = a[j].to.Next() // invalid past the last address: loop ends
		}
	}
	slices.SortFunc(out, func(x, y span) int { return x.from.Compare(y.from) })
	return out
}

// disjoint sorts items and clips overlaps so the result is disjoint.
func disjoint(items []item) []span {
	slices.SortStableFunc(items, func(a, b item) int {
		return cmp.Or(a.r.From().Compare(b.r.From()), cmp.Compare(a.rule, b.rule))
	})
	out := make([]span, 0, len(items))
	for _, it := range items {
		from := it.r.From()
		if n := len(out); n > 0 && from.Compare(out[n-1].to) <= 0 {
			if it.r.To().Compare(out[n-1].to) <= 0 {
				continue
			}
			from = out[n-1].to.Next()
		}
		out = append(out, span{from, it.r.To(), it.rule})
	}
	return out
}
