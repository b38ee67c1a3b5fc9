package cmsnet

import (
	"fmt"
	"net/netip"
	"slices"
	"time"

	"go4.org/netipx"
)

// Reach answers "who can reach this service": the endpoints and, per
// deciding rule, the source prefixes and entity admitted.
type Reach struct {
	Service     string
	Environment Environment
	Addresses   []netip.Addr
	Endpoints   []Endpoint
	Sources     []ReachSource
}

// ReachSource is what one rule admits.
type ReachSource struct {
	Rule     *Rule
	Entity   string
	Prefixes []netip.Prefix
}

// WhoCanReach lists the sources allowed to reach service in env at the
// configured clock's current time (expired grants excluded). It returns
// ErrUnknownReference when the service is not published to env.
func (p *Policy) WhoCanReach(service string, env Environment) (Reach, error) {
	return p.whoCanReachAt(service, env, p.now())
}

func (p *Policy) whoCanReachAt(service string, env Environment, at time.Time) (Reach, error) {
	idx := p.index[svcEnv{service, env}]
	if idx == nil {
		return Reach{}, fmt.Errorf("%w: service %q is not published to %s", ErrUnknownReference, service, env)
	}
	out := Reach{Service: service, Environment: env, Addresses: slices.Clone(idx.addresses), Endpoints: slices.Clone(idx.endpoints)}
	for _, rs := range idx.allowedByRule(p.rules, at) {
		r := &p.rules[rs.rule]
		out.Sources = append(out.Sources, ReachSource{Rule: r, Entity: r.Entity, Prefixes: rs.set.Prefixes()})
	}
	return out, nil
}

// ruleSet is the sources one rule allows.
type ruleSet struct {
	rule int32
	set  *netipx.IPSet
}

// allowedByRule groups the sources allowed at time at by the rule that
// allows them, in rule order.
func (x *envIndex) allowedByRule(rules []Rule, at time.Time) []ruleSet {
	byRule := map[int32]*netipx.IPSetBuilder{}
	var order []int32
	for _, s := range x.spans {
		r := &rules[s.rule]
		if !r.Allow || (!r.Expires.IsZero() && !at.Before(r.Expires)) {
			continue
		}
		b := byRule[s.rule]
		if b == nil {
			b = &netipx.IPSetBuilder{}
			byRule[s.rule] = b
			order = append(order, s.rule)
		}
		b.AddRange(netipx.IPRangeFrom(s.from, s.to))
	}
	slices.Sort(order)
	out := make([]ruleSet, len(order))
	for i, ri := range order {
		set, _ := byRule[ri].IPSet() // ranges from a valid index: cannot fail
		out[i] = ruleSet{ri, set}
	}
	return out
}

// allowedSet is the union of the sources allowed at time at.
func (x *envIndex) allowedSet(rules []Rule, at time.Time) *netipx.IPSet {
	var b netipx.IPSetBuilder
	for _, s := range x.spans {
		r := &rules[s.rule]
		if r.Allow && (r.Expires.IsZero() || at.Before(r.Expires)) {
			b.AddRange(netipx.IPRangeFrom(s.from, s.to))
		}
	}
	set, _ := b.IPSet()
	return set
}
