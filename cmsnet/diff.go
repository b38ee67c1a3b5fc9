package cmsnet

import (
	"cmp"
	"net/netip"
	"slices"
	"time"

	"go4.org/netipx"
)

// Change is a semantic difference between two policies: for one service,
// environment, protocol and port range, the source prefixes whose flows
// become allowed and those that become denied.
type Change struct {
	Service     string
	Environment Environment
	Protocol    Protocol
	Port        uint16
	EndPort     uint16
	Allowed     []netip.Prefix
	Denied      []netip.Prefix
}

// Diff compares the flows two policies allow, as of the newer policy's
// clock, and returns every change in a stable order. Flows are compared by
// source address, service, environment, protocol and port; a flow whose
// deciding rule changed but whose verdict did not is no change.
func Diff(older, newer *Policy) []Change {
	return diffAt(older, newer, newer.now())
}

func diffAt(older, newer *Policy, at time.Time) []Change {
	keys := map[svcEnv]bool{}
	for k := range older.index {
		keys[k] = true
	}
	for k := range newer.index {
		keys[k] = true
	}
	sorted := make([]svcEnv, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	slices.SortFunc(sorted, func(a, b svcEnv) int { return cmp.Or(cmp.Compare(a.service, b.service), cmp.Compare(a.env, b.env)) })
	var out []Change
	for _, k := range sorted {
		out = append(out, diffEnv(k, older.index[k], older.rules, newer.index[k], newer.rules, at)...)
	}
	return out
}

func diffEnv(k svcEnv, o *envIndex, orules []Rule, n *envIndex, nrules []Rule, at time.Time) []Change {
	empty := &netipx.IPSet{}
	oset, nset := empty, empty
	var oeps, neps []Endpoint
	if o != nil {
		oset, oeps = o.allowedSet(orules, at), o.endpoints
	}
	if n != nil {
		nset, neps = n.allowedSet(nrules, at), n.endpoints
	}
	var out []Change
	for _, proto := range []Protocol{TCP, UDP} {
		for _, seg := range segments(proto, oeps, neps) {
			before, after := empty, empty
			if covers(oeps, proto, seg[0]) {
				before = oset
			}
			if covers(neps, proto, seg[0]) {
				after = nset
			}
			added, removed := minus(after, before), minus(before, after)
			if len(added) == 0 && len(removed) == 0 {
				continue
			}
			c := Change{Service: k.service, Environment: k.env, Protocol: proto, Port: seg[0], Allowed: added, Denied: removed}
			if seg[1] != seg[0] {
				c.EndPort = seg[1]
			}
			out = append(out, c)
		}
	}
	return out
}

// segments splits the ports of proto covered by either endpoint list into
// ranges on which both lists are constant.
func segments(proto Protocol, a, b []Endpoint) [][2]uint16 {
	var cuts []int
	for _, e := range slices.Concat(a, b) {
		if e.Protocol == proto {
			cuts = append(cuts, int(e.Port), int(e.last())+1)
		}
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	var out [][2]uint16
	for i := 0; i+1 < len(cuts); i++ {
		lo, hi := uint16(cuts[i]), uint16(cuts[i+1]-1)
		if covers(a, proto, lo) || covers(b, proto, lo) {
			out = append(out, [2]uint16{lo, hi})
		}
	}
	return out
}

func covers(eps []Endpoint, proto Protocol, port uint16) bool {
	for _, e := range eps {
		if e.Protocol == proto && e.Port <= port && port <= e.last() {
			return true
		}
	}
	return false
}

func minus(a, b *netipx.IPSet) []netip.Prefix {
	var sb netipx.IPSetBuilder
	sb.AddSet(a)
	sb.RemoveSet(b)
	s, _ := sb.IPSet()
	if ps := s.Prefixes(); len(ps) > 0 {
		return ps
	}
	return nil
}
