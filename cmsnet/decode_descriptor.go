package cmsnet

// descriptor reads the whole tree. Field names follow the JSON
// Schema in schema/descriptor-v1.schema.json.
func (d *decoder) descriptor(n *node) *Descriptor {
	desc := &Descriptor{pos: d.pos}
	d.mark(n, "")
	m := d.fields(n, "", "version", "entities", "groups", "extranets", "publications", "grants", "tests")
	if m == nil {
		return desc
	}
	d.required(m, n, "", "version")
	if v, ok := m["version"]; ok {
		desc.Version = int(d.integer(m, "version", "", 0, 1<<20))
		if desc.Version != Version && desc.Version != 0 {
			d.errorf(v, "version", "unsupported-version", ErrVersion, "version %d is not supported; this reader knows version %d", desc.Version, Version)
		}
	}
	max := d.limit.MaxItems
	d.list(m, "entities", "", max, func(_ int, n *node, p string) { desc.Entities = append(desc.Entities, d.entity(n, p)) })
	d.list(m, "groups", "", max, func(_ int, n *node, p string) { desc.Groups = append(desc.Groups, d.members(n, p)) })
	d.list(m, "extranets", "", max, func(_ int, n *node, p string) { desc.Extranets = append(desc.Extranets, Extranet(d.members(n, p))) })
	d.list(m, "publications", "", max, func(_ int, n *node, p string) {
		desc.Publications = append(desc.Publications, d.publication(n, p))
	})
	d.list(m, "grants", "", max, func(_ int, n *node, p string) { desc.Grants = append(desc.Grants, d.grant(n, p)) })
	d.list(m, "tests", "", max, func(_ int, n *node, p string) { desc.Tests = append(desc.Tests, d.test(n, p)) })
	return desc
}

func (d *decoder) entity(n *node, path string) Entity {
	m := d.fields(n, path, "id", "name", "connection", "agencySystem", "prefixes")
	d.required(m, n, path, "id", "connection", "prefixes")
	return Entity{
		ID:   d.str(m, "id", path),
		Name: d.str(m, "name", path),
		Connection: Connection(d.enum(m, "connection", path,
			string(ConnRegional), string(ConnMetropolitan), string(ConnKIVS), string(ConnVPNSSL), string(ConnVPNIPsec))),
		AgencySystem: d.boolean(m, "agencySystem", path),
		Prefixes:     d.prefixes(m, "prefixes", path),
	}
}

// members reads a group or an extranet (same shape).
func (d *decoder) members(n *node, path string) Group {
	m := d.fields(n, path, "id", "members")
	d.required(m, n, path, "id", "members")
	return Group{ID: d.str(m, "id", path), Members: d.strs(m, "members", path)}
}

func (d *decoder) publication(n *node, path string) Publication {
	m := d.fields(n, path, "service", "owner", "critical", "hosting", "environments", "serviceBus")
	d.required(m, n, path, "service", "owner", "hosting")
	p := Publication{
		Service:  d.str(m, "service", path),
		Owner:    d.str(m, "owner", path),
		Critical: d.boolean(m, "critical", path),
		Hosting:  Hosting(d.enum(m, "hosting", path, string(HostingInstitution), string(HostingNDC))),
	}
	d.list(m, "environments", path, 8, func(_ int, n *node, ep string) {
		p.Environments = append(p.Environments, d.envPublication(n, ep))
	})
	if bn, ok := m["serviceBus"]; ok {
		p.ServiceBus = d.busPublication(bn, join(path, "serviceBus"))
	}
	return p
}

func (d *decoder) envPublication(n *node, path string) EnvPublication {
	m := d.fields(n, path, "environment", "addresses", "endpoints", "access", "approvedFor", "extranet", "sources")
	d.required(m, n, path, "environment", "addresses", "endpoints")
	return EnvPublication{
		Environment: Environment(d.enum(m, "environment", path,
			string(EnvInternet), string(EnvCMS), string(EnvTESTANG), string(EnvExtranet))),
		Addresses:   d.addrs(m, "addresses", path),
		Endpoints:   d.endpoints(m, path),
		Access:      Access(d.enum(m, "access", path, string(AccessPublic), string(AccessApproved))),
		ApprovedFor: d.strs(m, "approvedFor", path),
		Extranet:    d.str(m, "extranet", path),
		Sources:     d.sources(m, path),
	}
}

func (d *decoder) busPublication(n *node, path string) *BusPublication {
	m := d.fields(n, path, "mode", "addresses", "endpoints", "sources")
	d.required(m, n, path, "addresses", "endpoints") // sources: checked as C8 by the validator
	b := &BusPublication{
		Mode:      BusMode(d.enum(m, "mode", path, string(BusSynchronous), string(BusAsynchronous))),
		Addresses: d.addrs(m, "addresses", path),
		Endpoints: d.endpoints(m, path),
		Sources:   d.sources(m, path),
	}
	if b.Mode == "" {
		b.Mode = BusSynchronous // C8: synchronous by default
	}
	return b
}

func (d *decoder) endpoints(m map[string]*node, path string) []Endpoint {
	var out []Endpoint
	d.list(m, "endpoints", path, d.limit.MaxItems, func(_ int, n *node, p string) {
		em := d.fields(n, p, "protocol", "port", "endPort")
		d.required(em, n, p, "protocol", "port")
		e := Endpoint{
			Protocol: Protocol(d.enum(em, "protocol", p, string(TCP), string(UDP))),
			Port:     d.port(em, "port", p),
			EndPort:  d.port(em, "endPort", p),
		}
		if e.EndPort != 0 && e.Port != 0 && e.EndPort < e.Port {
			d.errorf(em["endPort"], join(p, "endPort"), "invalid-value", ErrType, "endPort %d is below port %d", e.EndPort, e.Port)
		}
		out = append(out, e)
	})
	return out
}

func (d *decoder) sources(m map[string]*node, path string) []Source {
	var out []Source
	d.list(m, "sources", path, d.limit.MaxPrefixes, func(_ int, n *node, p string) {
		sm := d.fields(n, p, "prefix", "except")
		d.required(sm, n, p, "prefix")
		var s Source
		if pn, ok := sm["prefix"]; ok {
			s.Prefix, _ = d.prefix(pn, join(p, "prefix"))
		}
		s.Except = d.prefixes(sm, "except", p)
		out = append(out, s)
	})
	return out
}

func (d *decoder) grant(n *node, path string) Grant {
	m := d.fields(n, path, "id", "service", "services", "entity", "environment", "sources", "state", "approvedBy", "expires")
	if sn, ok := m["services"]; ok {
		d.errorf(sn, join(path, "services"), "grant-services", ErrGrantServices, "a grant names exactly one service (C7); make one grant per service")
	}
	g := Grant{ID: d.str(m, "id", path)}
	if sn, ok := m["service"]; ok && sn.kind == kindSeq {
		d.errorf(sn, join(path, "service"), "grant-services", ErrGrantServices, "a grant names exactly one service (C7); make one grant per service")
	} else if _, multi := m["services"]; !multi {
		d.required(m, n, path, "service")
		g.Service = d.str(m, "service", path)
	}
	d.required(m, n, path, "id", "entity", "environment", "sources", "state")
	g.Entity = d.str(m, "entity", path)
	g.Environment = Environment(d.enum(m, "environment", path, string(EnvInternet), string(EnvCMS), string(EnvTESTANG)))
	g.Sources = d.prefixes(m, "sources", path)
	g.State = GrantState(d.enum(m, "state", path, string(GrantRequested), string(GrantApproved), string(GrantRejected), string(GrantRevoked)))
	g.ApprovedBy = d.str(m, "approvedBy", path)
	g.Expires = d.timestamp(m, "expires", path)
	return g
}

func (d *decoder) test(n *node, path string) Test {
	m := d.fields(n, path, "name", "source", "entity", "service", "environment", "protocol", "port", "expect", "at")
	d.required(m, n, path, "name", "source", "service", "environment", "protocol", "port", "expect")
	t := Test{
		Name:   d.str(m, "name", path),
		Expect: Expectation(d.enum(m, "expect", path, string(ExpectAllow), string(ExpectDeny))),
		At:     d.timestamp(m, "at", path),
		Flow: Flow{
			Entity:  d.str(m, "entity", path),
			Service: d.str(m, "service", path),
			Environment: Environment(d.enum(m, "environment", path,
				string(EnvInternet), string(EnvCMS), string(EnvTESTANG), string(EnvExtranet), string(EnvServiceBus))),
			Protocol: Protocol(d.enum(m, "protocol", path, string(TCP), string(UDP))),
			Port:     d.port(m, "port", path),
		},
	}
	if sn, ok := m["source"]; ok {
		t.Flow.Source, _ = d.addr(sn, join(path, "source"))
	}
	return t
}
