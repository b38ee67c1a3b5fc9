package cmsnet

import (
	"net/netip"
	"time"
)

// Version is the descriptor format version this package reads and writes.
const Version = 1

// Environment is a target environment of a publication (C2, CMS2-02).
type Environment string

// The environments of CMS2-02 plus the service bus of CMS2-04.
const (
	// EnvInternet publishes to the Internet on public CMS addresses (C3).
	EnvInternet Environment = "internet"
	// EnvCMS publishes to the CMS network on consolidated private addresses (C4).
	EnvCMS Environment = "cms"
	// EnvTESTANG publishes to the EU's TESTA-ng network (C5).
	EnvTESTANG Environment = "testa-ng"
	// EnvExtranet publishes to an extranet created by the CMS administrator (C6).
	EnvExtranet Environment = "extranet"
	// EnvServiceBus is the eGSB/ISSS service-bus publication of CMS2-04 (C8).
	// It is not an environment of CMS2-02; flows to it use this value.
	EnvServiceBus Environment = "service-bus"
)

func (e Environment) valid() bool {
	switch e {
	case EnvInternet, EnvCMS, EnvTESTANG, EnvExtranet, EnvServiceBus:
		return true
	}
	return false
}

// Hosting says where an application service runs (C2).
type Hosting string

// Hosting values.
const (
	// HostingInstitution is the publishing institution's own infrastructure.
	HostingInstitution Hosting = "institution"
	// HostingNDC is a national data centre.
	HostingNDC Hosting = "ndc"
)

// Access is how a CMS-network publication admits entities (C4).
type Access string

// Access values.
const (
	// AccessPublic admits every entity connected to the CMS network.
	AccessPublic Access = "public"
	// AccessApproved admits only entities holding a grant approved by the
	// service's owner (CMS2-03).
	AccessApproved Access = "approved"
)

// Protocol is a transport protocol of an endpoint.
type Protocol string

// Protocols.
const (
	TCP Protocol = "tcp"
	UDP Protocol = "udp"
)

// Connection is how an entity is connected to the CMS (C1).
type Connection string

// The four connection types of C1; the Internet VPN comes as SSL or IPsec.
const (
	// ConnRegional is a regional network.
	ConnRegional Connection = "regional"
	// ConnMetropolitan is a metropolitan network.
	ConnMetropolitan Connection = "metropolitan"
	// ConnKIVS is a commercially contracted KIVS line.
	ConnKIVS Connection = "kivs"
	// ConnVPNSSL is an SSL VPN over the public Internet.
	ConnVPNSSL Connection = "vpn-ssl"
	// ConnVPNIPsec is an IPsec VPN over the public Internet; unsuitable for
	// critical services (C1).
	ConnVPNIPsec Connection = "vpn-ipsec"
)

// dedicated reports whether c is one of the three connections admissible for
// agency systems (C1).
func (c Connection) dedicated() bool {
	return c == ConnRegional || c == ConnMetropolitan || c == ConnKIVS
}

// BusMode is the communication mode of a service-bus publication (C8).
type BusMode string

// Bus modes; synchronous is the default.
const (
	BusSynchronous  BusMode = "synchronous"
	BusAsynchronous BusMode = "asynchronous"
)

// GrantState is the life-cycle state of an access grant (CMS2-03).
type GrantState string

// Grant states. Only approved grants admit traffic.
const (
	GrantRequested GrantState = "requested"
	GrantApproved  GrantState = "approved"
	GrantRejected  GrantState = "rejected"
	GrantRevoked   GrantState = "revoked"
)

// Expectation is the expected verdict of a descriptor test.
type Expectation string

// Expectations.
const (
	ExpectAllow Expectation = "allow"
	ExpectDeny  Expectation = "deny"
)

// Descriptor is a whole publication descriptor: the entities connected to
// the CMS, the groups and extranets they form, the publications, the access
// grants and the tests that must hold.
type Descriptor struct {
	Version      int
	Entities     []Entity
	Groups       []Group
	Extranets    []Extranet
	Publications []Publication
	Grants       []Grant
	Tests        []Test

	pos positions // source positions by path; nil for descriptors built in Go
}

// Entity is a public-administration body or system connected to the CMS.
type Entity struct {
	ID         string
	Name       string
	Connection Connection
	// AgencySystem marks an authority's agency system, which may connect only
	// by regional, metropolitan or KIVS lines (C1).
	AgencySystem bool
	// Prefixes are the addresses of the entity's network.
	Prefixes []netip.Prefix
}

// Group is a named set of entities a CMS service can be approved for (C4).
type Group struct {
	ID      string
	Members []string
}

// Extranet is an extranet created by the CMS administrator (C6).
type Extranet struct {
	ID      string
	Members []string
}

// Publication is one application service published through the CMS
// (CMS2-02, C2) and optionally on the service bus (CMS2-04, C8).
type Publication struct {
	Service string
	Owner   string
	// Critical services may not be reached over Internet IPsec (C1).
	Critical     bool
	Hosting      Hosting
	Environments []EnvPublication
	ServiceBus   *BusPublication
}

// EnvPublication is a publication's presence in one environment.
type EnvPublication struct {
	Environment Environment
	Addresses   []netip.Addr
	Endpoints   []Endpoint
	// Access applies to EnvCMS only.
	Access Access
	// ApprovedFor optionally limits which entities or groups may hold grants
	// for an approved CMS service.
	ApprovedFor []string
	// Extranet names the extranet for EnvExtranet.
	Extranet string
	// Sources restrict the source addresses (C3, C5).
	Sources []Source
}

// BusPublication is a service-bus publication (CMS2-04).
type BusPublication struct {
	Mode      BusMode
	Addresses []netip.Addr
	Endpoints []Endpoint
	// Sources are the eGSB/ISSS addresses that call the service.
	Sources []Source
}

// Endpoint is a protocol and a port or an inclusive port range.
type Endpoint struct {
	Protocol Protocol
	Port     uint16
	// EndPort, if non-zero, makes the endpoint the range Port..EndPort.
	EndPort uint16
}

func (e Endpoint) last() uint16 {
	if e.EndPort == 0 {
		return e.Port
	}
	return e.EndPort
}

// Source is an allowed source prefix with exceptions, like a Kubernetes
// ipBlock.
type Source struct {
	Prefix netip.Prefix
	Except []netip.Prefix
}

// Grant is an entity's access to exactly one service in one environment
// (CMS2-03, C7).
type Grant struct {
	ID          string
	Service     string
	Entity      string
	Environment Environment
	Sources     []netip.Prefix
	State       GrantState
	// ApprovedBy is the entity that approved the grant; it must be the
	// service's owner (C4).
	ApprovedBy string
	// Expires, if non-zero, ends the grant.
	Expires time.Time
}

// Test is a flow a descriptor asserts is allowed or denied.
type Test struct {
	Name   string
	Flow   Flow
	Expect Expectation
	// At, if non-zero, is the time the flow is evaluated at.
	At time.Time
}
