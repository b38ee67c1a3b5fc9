// Package cmsnet declares, validates, tests, evaluates and enforces how
// government application services are published through the CMS central
// point of service (seed 000; requirements C1-C8 in
// shared/docs/requirements.md, "CMS/KIVS").
//
// A Descriptor, read from versioned YAML or JSON (schema:
// schema/descriptor-v1.schema.json, also SchemaV1), declares:
//   - entities connected to the CMS and their connection types: regional,
//     metropolitan, KIVS line, Internet VPN over SSL or IPsec (C1);
//   - publications (CMS2-02, C2-C6): a service and its owner, hosting, and
//     per environment (internet, cms, testa-ng, extranet) its addresses,
//     endpoints (protocol, port or range) and allowed sources with excepts;
//     on the CMS network public or approved;
//   - service-bus publications (CMS2-04, C8), synchronous by default;
//   - access grants (CMS2-03, C7): one service per grant, the entity, its
//     source prefixes, the environment, the state (requested, approved by
//     the owner, rejected, revoked) and an optional expiry;
//   - tests: flows that must be allowed or denied.
//
// Load parses, validates and compiles a descriptor into a Policy; every
// problem comes back at once as an ErrorList of *Error with a path such as
// publications[2].environments[0].endpoints[0].port, line:column, a stable
// code and a caret excerpt. Limits bounds size, nesting, counts and the
// number of errors reported. A descriptor whose tests fail does not load. Address spaces per
// environment come from Config.AddressSpaces (DefaultAddressSpaces documents
// the provenance of the defaults; TESTA-ng has none by default).
//
// A Policy answers Decide (allowed or denied, the reason, the deciding rule
// or grant; no allocation), WhoCanReach and Diff between versions. It is
// enforced by Middleware (an http.Handler wrapper; forwarded-for only from
// named proxies) and by RenderNFT (an nftables inet table). The command
// cmsnet/cmd/cmsnet validates, tests, explains, diffs and renders.
//
// Rules follow Kubernetes NetworkPolicy (additive allows, ipBlock with
// except, field paths in errors) and Tailscale policy files (tests that
// must pass before a policy is accepted). Fail-closed defaults: every
// environment except the CMS network and extranets must list its sources
// (0.0.0.0/0 and ::/0 spelt out for "everyone"); an approved CMS service is
// reachable only through approved grants; overlapping rules are errors;
// critical services are never reachable from entities on Internet IPsec.
package cmsnet
