package cmsnet

import (
	"fmt"
	"net/netip"
	"time"
)

// Flow is a connection attempt: from a source address (and entity, when
// known) to a service in an environment on a protocol and port.
type Flow struct {
	Source netip.Addr
	// Entity, if set, must be the entity the source address belongs to.
	Entity      string
	Service     string
	Environment Environment
	Protocol    Protocol
	Port        uint16
}

// String renders the flow for logs and the command line.
func (f Flow) String() string {
	s := f.Source.String()
	if f.Entity != "" {
		s += " (" + f.Entity + ")"
	}
	return fmt.Sprintf("%s -> %s@%s %s/%d", s, f.Service, f.Environment, f.Protocol, f.Port)
}

// Reason says why a flow was allowed or denied. The values are stable.
type Reason string

// Reasons.
const (
	ReasonSourceRule     Reason = "allowed by a source rule of the publication"
	ReasonGrant          Reason = "allowed by an approved grant"
	ReasonPublicCMS      Reason = "allowed: public cms service, source is a connected entity"
	ReasonExtranetMember Reason = "allowed: source is a member of the extranet"
	ReasonUnknownService Reason = "denied: no such service"
	ReasonNotPublished   Reason = "denied: service not published to this environment"
	ReasonNoEndpoint     Reason = "denied: no endpoint for this protocol and port"
	ReasonBadSource      Reason = "denied: invalid source address"
	ReasonNoRule         Reason = "denied: no rule admits the source"
	ReasonExcept         Reason = "denied: source excluded by an except of a source rule"
	ReasonGrantExpired   Reason = "denied: the grant has expired"
	ReasonEntityMismatch Reason = "denied: source address belongs to another entity"
	ReasonCriticalIPsec  Reason = "denied: critical service not reachable over Internet IPsec (C1)"
)

// Decision is the verdict on a flow and the rule that decided it. Rule is
// nil when nothing matched (default deny) or the flow named no published
// endpoint.
type Decision struct {
	Allowed bool
	Reason  Reason
	Rule    *Rule
}

// String renders the decision with the deciding rule's path and position.
func (d Decision) String() string {
	verdict := "deny"
	if d.Allowed {
		verdict = "allow"
	}
	if d.Rule == nil {
		return fmt.Sprintf("%s: %s", verdict, d.Reason)
	}
	return fmt.Sprintf("%s: %s: %s", verdict, d.Reason, d.Rule)
}

// Decide evaluates f at the configured clock's current time. It does not
// allocate.
func (p *Policy) Decide(f Flow) Decision { return p.DecideAt(f, p.now()) }

// DecideAt evaluates f as of time at (grant expiry is the only
// time-dependent part).
func (p *Policy) DecideAt(f Flow, at time.Time) Decision {
	idx := p.index[svcEnv{f.Service, f.Environment}]
	if idx == nil {
		if _, ok := p.services[f.Service]; !ok {
			return Decision{Reason: ReasonUnknownService}
		}
		return Decision{Reason: ReasonNotPublished}
	}
	if !idx.hasEndpoint(f.Protocol, f.Port) {
		return Decision{Reason: ReasonNoEndpoint}
	}
	src := f.Source.Unmap().WithZone("")
	if !src.IsValid() {
		return Decision{Reason: ReasonBadSource}
	}
	r := idx.lookup(src)
	if r < 0 {
		return Decision{Reason: ReasonNoRule}
	}
	rule := &p.rules[r]
	if !rule.Allow {
		if rule.Kind == RuleCriticalIPsec {
			return Decision{Reason: ReasonCriticalIPsec, Rule: rule}
		}
		return Decision{Reason: ReasonExcept, Rule: rule}
	}
	if !rule.Expires.IsZero() && !at.Before(rule.Expires) {
		return Decision{Reason: ReasonGrantExpired, Rule: rule}
	}
	if f.Entity != "" {
		if owner := p.owner(src); (owner != "" && owner != f.Entity) || (rule.Entity != "" && rule.Entity != f.Entity) {
			return Decision{Reason: ReasonEntityMismatch, Rule: rule}
		}
		if idx.critical && f.Environment != EnvInternet && p.conns[f.Entity] == ConnVPNIPsec {
			return Decision{Reason: ReasonCriticalIPsec, Rule: rule}
		}
	}
	return Decision{Allowed: true, Reason: rule.Kind.reason(), Rule: rule}
}

func (k RuleKind) reason() Reason {
	switch k {
	case RuleGrant:
		return ReasonGrant
	case RulePublicCMS:
		return ReasonPublicCMS
	case RuleExtranet:
		return ReasonExtranetMember
	}
	return ReasonSourceRule
}

func (x *envIndex) hasEndpoint(proto Protocol, port uint16) bool {
	for _, e := range x.endpoints {
		if e.Protocol == proto && e.Port <= port && port <= e.last() {
			return true
		}
	}
	return false
}

// lookup returns the rule of the span holding a, or -1.
func (x *envIndex) lookup(a netip.Addr) int32 {
	if !a.Is4() {
		return searchSpans(x.spans, a)
	}
	v := u32(a)
	spans := x.spans4
	lo, hi := 0, len(spans)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if spans[mid].from <= v {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo == 0 || v > spans[lo-1].to {
		return -1
	}
	return spans[lo-1].rule
}

func searchSpans(spans []span, a netip.Addr) int32 {
	lo, hi := 0, len(spans)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if spans[mid].from.Compare(a) <= 0 {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo == 0 {
		return -1
	}
	s := &spans[lo-1]
	if a.Compare(s.to) > 0 {
		return -1
	}
	return s.rule
}

// owner returns the entity whose network holds a, or "".
func (p *Policy) owner(a netip.Addr) string {
	i := searchSpans(p.entitySpans, a)
	if i < 0 {
		return ""
	}
	return p.entityIDs[i]
}
