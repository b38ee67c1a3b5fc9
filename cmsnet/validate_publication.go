package cmsnet

import "net/netip"

func (v *validator) checkPublication(i int) {
	p := &v.d.Publications[i]
	path := index("publications", i)
	if p.Owner != "" {
		if _, ok := v.entities[p.Owner]; !ok {
			v.errorf(path+".owner", "unknown-reference", ErrUnknownReference, "no entity %q", p.Owner)
		}
	}
	if len(p.Environments) == 0 && p.ServiceBus == nil {
		v.errorf(path, "missing-field", ErrMissing, "publication %q has no environment and no serviceBus (C2)", p.Service)
	}
	seen := map[Environment]int{}
	for j := range p.Environments {
		e := &p.Environments[j]
		ep := index(path+".environments", j)
		if k, dup := seen[e.Environment]; dup && e.Environment != "" {
			v.errorf(ep+".environment", "duplicate", ErrDuplicate, "environment %s already published in environments[%d]", e.Environment, k)
		}
		seen[e.Environment] = j
		v.checkEnv(p, e, ep)
	}
	if b := p.ServiceBus; b != nil {
		bp := path + ".serviceBus"
		v.checkAddresses(EnvServiceBus, b.Addresses, bp)
		v.checkEndpoints(b.Endpoints, bp)
		v.checkSources(b.Sources, bp)
		if len(b.Sources) == 0 {
			v.errorf(bp+".sources", "source-required", ErrSourceRequired, "a service-bus publication names the eGSB/ISSS source addresses (C8)")
		}
	}
}

func (v *validator) checkEnv(p *Publication, e *EnvPublication, path string) {
	if e.Environment == "" {
		return
	}
	v.checkAddresses(e.Environment, e.Addresses, path)
	v.checkEndpoints(e.Endpoints, path)
	v.checkSources(e.Sources, path)
	if e.Access != "" && e.Environment != EnvCMS {
		v.errorf(path+".access", "contradiction", ErrContradiction, "access applies to the cms environment only (C4)")
	}
	if len(e.ApprovedFor) > 0 && (e.Environment != EnvCMS || e.Access != AccessApproved) {
		v.errorf(path+".approvedFor", "contradiction", ErrContradiction, "approvedFor applies to an approved cms publication only (C4)")
	}
	if e.Extranet != "" && e.Environment != EnvExtranet {
		v.errorf(path+".extranet", "contradiction", ErrContradiction, "extranet applies to the extranet environment only (C6)")
	}
	for k, id := range e.ApprovedFor {
		_, isEnt := v.entities[id]
		_, isGroup := v.groups[id]
		if !isEnt && !isGroup {
			v.errorf(index(path+".approvedFor", k), "unknown-reference", ErrUnknownReference, "no entity or group %q", id)
		}
	}
	switch e.Environment {
	case EnvInternet:
		if len(e.Sources) == 0 {
			v.errorf(path+".sources", "source-required", ErrSourceRequired,
				"an Internet publication lists its allowed sources (C3); write 0.0.0.0/0 and ::/0 to admit everyone")
		}
	case EnvTESTANG:
		if len(e.Sources) == 0 {
			v.errorf(path+".sources", "source-required", ErrSourceRequired, "access to a TESTA-ng publication is limited to defined source addresses (C5)")
		}
		v.checkCriticalSources(p, e, path)
	case EnvCMS:
		v.checkCMS(e, path)
	case EnvExtranet:
		if e.Extranet == "" {
			v.errorf(path+".extranet", "missing-field", ErrMissing, "an extranet publication names its extranet (C6)")
		} else if _, ok := v.extras[e.Extranet]; !ok {
			v.errorf(path+".extranet", "unknown-reference", ErrUnknownReference, "no extranet %q", e.Extranet)
		}
		if len(e.Sources) > 0 {
			v.errorf(path+".sources", "contradiction", ErrContradiction, "an extranet publication is open to every member of the extranet (C6); sources contradict it")
		}
	}
}

func (v *validator) checkCMS(e *EnvPublication, path string) {
	switch e.Access {
	case "":
		v.errorf(path+".access", "missing-field", ErrMissing, "a cms publication is public or approved (C4)")
	case AccessPublic:
		if len(e.Sources) > 0 {
			v.errorf(path+".sources", "contradiction", ErrContradiction,
				"a public cms service admits every connected entity (C4); sources contradict it, publish it as approved instead")
		}
	case AccessApproved:
		if len(e.Sources) > 0 {
			v.errorf(path+".sources", "ungranted-access", ErrUngranted,
				"an approved cms service is reached only through grants approved by its owner (C4, C7); remove sources and add grants")
		}
	}
}

// checkCriticalSources reports source rules of a critical service that
// admit an entity connected over Internet IPsec (C1).
func (v *validator) checkCriticalSources(p *Publication, e *EnvPublication, path string) {
	if !p.Critical {
		return
	}
	for _, ent := range v.d.Entities {
		if ent.Connection != ConnVPNIPsec {
			continue
		}
		set := v.entSets[ent.ID]
		for k, s := range e.Sources {
			if s.Prefix.IsValid() && set != nil && set.OverlapsPrefix(s.Prefix) {
				v.errorf(index(path+".sources", k)+".prefix", "critical-ipsec", ErrCriticalIPsec,
					"critical service %q admits %s, which entity %q reaches over Internet IPsec (C1)", p.Service, s.Prefix, ent.ID)
			}
		}
	}
}

// checkAddressConflicts reports two publications on the same address,
// environment and port.
func (v *validator) checkAddressConflicts() {
	type sock struct {
		env  Environment
		addr netip.Addr
		prot Protocol
	}
	type owner struct {
		path string
		ep   Endpoint
	}
	seen := map[sock][]owner{}
	visit := func(env Environment, addrs []netip.Addr, eps []Endpoint, path string) {
		for ai, a := range addrs {
			for _, ep := range eps {
				k := sock{env, a, ep.Protocol}
				for _, o := range seen[k] {
					if ep.Port <= o.ep.last() && o.ep.Port <= ep.last() && parentPath(o.path) != parentPath(index(path+".addresses", ai)) {
						v.errorf(index(path+".addresses", ai), "overlap", ErrOverlap,
							"%s %s/%d is also published by %s", env, a, ep.Port, o.path)
					}
				}
				seen[k] = append(seen[k], owner{index(path+".addresses", ai), ep})
			}
		}
	}
	for i, p := range v.d.Publications {
		for j, e := range p.Environments {
			visit(e.Environment, e.Addresses, e.Endpoints, index(index("publications", i)+".environments", j))
		}
		if p.ServiceBus != nil {
			visit(EnvServiceBus, p.ServiceBus.Addresses, p.ServiceBus.Endpoints, index("publications", i)+".serviceBus")
		}
	}
}

func (v *validator) envOf(service string, env Environment) *EnvPublication {
	p := v.pubs[service]
	if p == nil {
		return nil
	}
	for i := range p.Environments {
		if p.Environments[i].Environment == env {
			return &p.Environments[i]
		}
	}
	return nil
}

func (v *validator) checkGrant(i int) {
	g := &v.d.Grants[i]
	path := index("grants", i)
	pub := v.pubs[g.Service]
	if g.Service != "" && pub == nil {
		v.errorf(path+".service", "unknown-reference", ErrUnknownReference, "no published service %q", g.Service)
	}
	ent := v.entities[g.Entity]
	if g.Entity != "" && ent == nil {
		v.errorf(path+".entity", "unknown-reference", ErrUnknownReference, "no entity %q", g.Entity)
	}
	if len(g.Sources) == 0 {
		v.errorf(path+".sources", "missing-field", ErrMissing, "a grant lists the addresses in the entity's network it admits (C7)")
	}
	if set := v.entSets[g.Entity]; set != nil {
		for k, s := range g.Sources {
			if !set.ContainsPrefix(s) {
				v.errorf(index(path+".sources", k), "grant-source-outside-entity", ErrGrant,
					"%s is not in the network of entity %q (C7: only from defined addresses in the entity's network)", s, g.Entity)
			}
		}
	}
	if pub == nil || g.Environment == "" {
		return
	}
	e := v.envOf(g.Service, g.Environment)
	switch {
	case e == nil:
		v.errorf(path+".environment", "grant-environment", ErrGrant, "service %q is not published to %s", g.Service, g.Environment)
	case e.Environment == EnvCMS && e.Access == AccessPublic:
		v.errorf(path+".environment", "contradiction", ErrContradiction, "service %q is public on the cms network; a grant contradicts it (C4)", g.Service)
	case ent != nil && len(e.ApprovedFor) > 0 && !v.approvable(e.ApprovedFor, ent.ID):
		v.errorf(path+".entity", "grant-not-approvable", ErrGrant, "service %q is approved only for %v", g.Service, e.ApprovedFor)
	}
	if g.State == GrantApproved {
		if g.ApprovedBy == "" {
			v.errorf(path+".approvedBy", "missing-field", ErrMissing, "an approved grant names who approved it (C4)")
		} else if g.ApprovedBy != pub.Owner {
			v.errorf(path+".approvedBy", "grant-approval", ErrGrant, "approved by %q, but only the service's owner %q approves access (C4)", g.ApprovedBy, pub.Owner)
		}
		if ent != nil && pub.Critical && ent.Connection == ConnVPNIPsec {
			v.errorf(path+".entity", "critical-ipsec", ErrCriticalIPsec,
				"critical service %q would be reached by %q over Internet IPsec (C1)", g.Service, ent.ID)
		}
	}
}

func (v *validator) approvable(list []string, entity string) bool {
	for _, id := range list {
		if id == entity {
			return true
		}
		if g := v.groups[id]; g != nil && contains(g.Members, entity) {
			return true
		}
	}
	return false
}

// checkRuleOverlaps reports overlapping source rules and approved grants
// of the same service and environment.
func (v *validator) checkRuleOverlaps() {
	type key struct {
		svc string
		env Environment
	}
	groups := map[key][]tagged{}
	var order []key
	add := func(k key, t tagged) {
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], t)
	}
	for i, p := range v.d.Publications {
		for j, e := range p.Environments {
			for k, s := range e.Sources {
				path := index(index(index("publications", i)+".environments", j)+".sources", k) + ".prefix"
				add(key{p.Service, e.Environment}, tagged{s.Prefix, path, "source rule"})
			}
		}
		if p.ServiceBus != nil {
			for k, s := range p.ServiceBus.Sources {
				add(key{p.Service, EnvServiceBus}, tagged{s.Prefix, index(index("publications", i)+".serviceBus.sources", k) + ".prefix", "source rule"})
			}
		}
	}
	for i, g := range v.d.Grants {
		if g.State != GrantApproved {
			continue
		}
		for k, s := range g.Sources {
			add(key{g.Service, g.Environment}, tagged{s, index(index("grants", i)+".sources", k), "grant " + g.ID})
		}
	}
	for _, k := range order {
		v.reportOverlaps(groups[k], "rules of "+k.svc+" in "+string(k.env)+" must not overlap")
	}
}
