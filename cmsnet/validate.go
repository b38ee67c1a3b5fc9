package cmsnet

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"go4.org/netipx"
)

// validator runs the semantic checks of C1-C8 over a decoded descriptor.
type validator struct {
	d        *Descriptor
	cfg      *resolved
	errs     ErrorList
	entities map[string]*Entity
	entSets  map[string]*netipx.IPSet
	groups   map[string]*Group
	extras   map[string]*Extranet
	pubs     map[string]*Publication
}

func (v *validator) errorf(path, code string, sentinel error, format string, args ...any) {
	e := &Error{Path: path, Code: code, Message: fmt.Sprintf(format, args...), Err: sentinel}
	for p := path; ; {
		if at, ok := v.d.pos[p]; ok {
			e.Line, e.Column, e.at = at.line, at.col, at.off+1
			break
		}
		if p == "" {
			break
		}
		p = parentPath(p)
	}
	v.errs = append(v.errs, e)
}

// parentPath drops the last ".key" or "[i]" of path.
func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

func (v *validator) run() {
	v.indexIDs()
	v.checkEntities()
	for i := range v.d.Publications {
		v.checkPublication(i)
	}
	v.checkAddressConflicts()
	for i := range v.d.Grants {
		v.checkGrant(i)
	}
	v.checkRuleOverlaps()
	v.checkTests()
}

// checkTests reports tests naming an undeclared entity or service, which
// would otherwise pass or fail for the wrong reason.
func (v *validator) checkTests() {
	for i, t := range v.d.Tests {
		p := index("tests", i)
		if t.Flow.Entity != "" && v.entities[t.Flow.Entity] == nil {
			v.errorf(p+".entity", "unknown-reference", ErrUnknownReference, "no entity %q", t.Flow.Entity)
		}
		if t.Flow.Service != "" && v.pubs[t.Flow.Service] == nil {
			v.errorf(p+".service", "unknown-reference", ErrUnknownReference, "no published service %q", t.Flow.Service)
		}
	}
}

func (v *validator) indexIDs() {
	d := v.d
	v.entities, v.groups, v.extras, v.pubs = map[string]*Entity{}, map[string]*Group{}, map[string]*Extranet{}, map[string]*Publication{}
	for i := range d.Entities {
		addID(v, v.entities, d.Entities[i].ID, &d.Entities[i], index("entities", i)+".id", "entity")
	}
	for i := range d.Groups {
		if _, clash := v.entities[d.Groups[i].ID]; clash {
			v.errorf(index("groups", i)+".id", "duplicate", ErrDuplicate, "group %q has the id of an entity", d.Groups[i].ID)
		}
		addID(v, v.groups, d.Groups[i].ID, &d.Groups[i], index("groups", i)+".id", "group")
	}
	for i := range d.Extranets {
		addID(v, v.extras, d.Extranets[i].ID, &d.Extranets[i], index("extranets", i)+".id", "extranet")
	}
	for i := range d.Publications {
		addID(v, v.pubs, d.Publications[i].Service, &d.Publications[i], index("publications", i)+".service", "service")
	}
	grants := map[string]*Grant{}
	for i := range d.Grants {
		addID(v, grants, d.Grants[i].ID, &d.Grants[i], index("grants", i)+".id", "grant")
	}
	tests := map[string]*Test{}
	for i := range d.Tests {
		addID(v, tests, d.Tests[i].Name, &d.Tests[i], index("tests", i)+".name", "test")
	}
	for _, list := range []struct {
		name string
		ms   [][]string
	}{{"groups", groupMembers(d.Groups)}, {"extranets", extranetMembers(d.Extranets)}} {
		for i, members := range list.ms {
			for j, m := range members {
				if _, ok := v.entities[m]; !ok {
					v.errorf(index(index(list.name, i)+".members", j), "unknown-reference", ErrUnknownReference, "no entity %q", m)
				}
			}
		}
	}
}

func addID[T any](v *validator, m map[string]*T, id string, x *T, path, what string) {
	if id == "" {
		return // reported by the decoder as missing
	}
	if _, dup := m[id]; dup {
		v.errorf(path, "duplicate", ErrDuplicate, "%s %q declared twice", what, id)
		return
	}
	m[id] = x
}

func groupMembers(gs []Group) [][]string {
	out := make([][]string, len(gs))
	for i, g := range gs {
		out[i] = g.Members
	}
	return out
}

func extranetMembers(es []Extranet) [][]string {
	out := make([][]string, len(es))
	for i, e := range es {
		out[i] = e.Members
	}
	return out
}

// checkEntities enforces C1 on connections and keeps entities' networks
// disjoint, so a source address names at most one entity.
func (v *validator) checkEntities() {
	v.entSets = map[string]*netipx.IPSet{}
	var all []tagged
	for i, e := range v.d.Entities {
		p := index("entities", i)
		if e.AgencySystem && e.Connection != "" && !e.Connection.dedicated() {
			v.errorf(p+".connection", "connection-type", ErrConnection,
				"agency system %q connects by %s; only regional, metropolitan or kivs are admissible (C1)", e.ID, e.Connection)
		}
		if len(e.Prefixes) == 0 {
			v.errorf(p+".prefixes", "missing-field", ErrMissing, "entity %q has no network prefixes", e.ID)
		}
		var b netipx.IPSetBuilder
		for j, pre := range e.Prefixes {
			b.AddPrefix(pre)
			all = append(all, tagged{pre, index(p+".prefixes", j), "entity " + e.ID})
		}
		set, _ := b.IPSet()
		if e.ID != "" {
			v.entSets[e.ID] = set
		}
	}
	v.reportOverlaps(all, "address belongs to two entities")
}

// tagged is a prefix with the path that declared it and a label.
type tagged struct {
	prefix netip.Prefix
	path   string
	label  string
}

// reportOverlaps sorts items and reports each item overlapping an earlier
// one, in O(n log n).
func (v *validator) reportOverlaps(items []tagged, what string) {
	slices.SortStableFunc(items, func(a, b tagged) int {
		return cmp.Or(a.prefix.Addr().Compare(b.prefix.Addr()), cmp.Compare(a.prefix.Bits(), b.prefix.Bits()))
	})
	var top *tagged
	var topEnd netip.Addr
	for i := range items {
		it := &items[i]
		if !it.prefix.IsValid() {
			continue
		}
		if top != nil && top.prefix.Addr().BitLen() == it.prefix.Addr().BitLen() && it.prefix.Addr().Compare(topEnd) <= 0 {
			v.errorf(it.path, "overlap", ErrOverlap, "%s overlaps %s (%s, %s): %s", it.prefix, top.prefix, top.label, top.path, what)
			continue
		}
		end := netipx.PrefixLastIP(it.prefix)
		if top == nil || top.prefix.Addr().BitLen() != it.prefix.Addr().BitLen() || end.Compare(topEnd) > 0 {
			top, topEnd = it, end
		}
	}
}

func (v *validator) inSpace(env Environment, a netip.Addr) bool {
	s := v.cfg.spaces[env]
	return s != nil && s.Contains(a)
}

func (v *validator) checkEndpoints(eps []Endpoint, path string) {
	if len(eps) == 0 {
		v.errorf(path+".endpoints", "missing-field", ErrMissing, "at least one endpoint is required (C2: defined protocols and ports)")
	}
	for i, a := range eps {
		for j := range i {
			b := eps[j]
			if a.Protocol == b.Protocol && a.Port != 0 && b.Port != 0 && a.Port <= b.last() && b.Port <= a.last() {
				v.errorf(index(path+".endpoints", i), "overlap", ErrOverlap, "%s port %d-%d overlaps endpoints[%d]", a.Protocol, a.Port, a.last(), j)
			}
		}
	}
}

func (v *validator) checkAddresses(env Environment, addrs []netip.Addr, path string) {
	if len(addrs) == 0 {
		v.errorf(path+".addresses", "missing-field", ErrMissing, "at least one address is required")
	}
	for i, a := range addrs {
		if slices.Contains(addrs[:i], a) {
			v.errorf(index(path+".addresses", i), "duplicate", ErrDuplicate, "address %s listed twice", a)
		}
		if !v.inSpace(env, a) {
			v.errorf(index(path+".addresses", i), "address-space", ErrAddressSpace, "%s is outside the %s address space (%s)", a, env, spaceRule(env))
		}
	}
}

func spaceRule(env Environment) string {
	switch env {
	case EnvInternet:
		return "C3: public addresses from the CMS space"
	case EnvTESTANG:
		return "C5: the national TESTA-ng space; configure Config.AddressSpaces"
	case EnvServiceBus:
		return "C8: private consolidated CMS addresses"
	}
	return "C4/C6: private consolidated CMS addresses"
}

func (v *validator) checkSources(srcs []Source, path string) {
	for i, s := range srcs {
		for j, ex := range s.Except {
			if s.Prefix.IsValid() && ex.IsValid() && (!s.Prefix.Contains(ex.Addr()) || ex.Bits() <= s.Prefix.Bits()) {
				v.errorf(index(index(path+".sources", i)+".except", j), "contradiction", ErrContradiction,
					"except %s is not strictly inside prefix %s", ex, s.Prefix)
			}
		}
	}
}
