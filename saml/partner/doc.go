// Package partner keeps the trusted SAML partners of one environment: the
// identity providers an e-service trusts and the service providers a
// credential issuer serves, each known only through metadata the operator
// configured (issue 3, item 3).
//
// A Registry is built by New from a Config listing metadata Sources: a
// file, an HTTPS URL or inline bytes. Each source carries its own trust: the
// certificates its metadata signature must verify against (a dsig.Verifier;
// keys inside the metadata never vouch for the metadata itself). Unsigned
// metadata is refused unless the source says AllowUnsigned. Federation
// aggregates (md:EntitiesDescriptor) yield one Partner per entity. New loads
// every source once and fails, naming the source, if any is bad: a
// misconfigured template fails at start.
//
// Run refreshes URL and file sources in the background: URL sources with
// hashicorp/go-retryablehttp (conditional GET with ETag and Last-Modified,
// retries on transport errors and 5xx only, a size cap and a timeout),
// at the metadata's cacheDuration bounded by Config.MinRefresh and
// Config.RefreshInterval. A refresh that fails, or whose document fails
// signature verification or validation, never replaces the last good
// metadata; that metadata keeps serving until its validUntil, after which
// Lookup reports ErrExpired.
//
// Environments (requirement N23): test and production each have their own
// certificates and partners. A Registry serves exactly one environment;
// a Source declared for another environment is refused by Validate, so
// metadata from the test federation can never be returned by a production
// registry, even for an entityID both environments share.
//
// Suspension (requirement N25): Suspend takes a partner out of service with
// a notice for users and Resume brings it back. Lookup then returns the
// partner together with an error matching ErrSuspended, so that the caller
// can show the notice while refusing the login.
//
// Lookup errors are *LookupError values naming the entityID and
// environment; they match ErrUnknownPartner, ErrSuspended or ErrExpired
// (the last also matches metadata.ErrExpired) with errors.Is.
//
// Consumers (saml/sp, saml/idp) declare their own one-method interface,
//
//	Lookup(ctx context.Context, entityID string) (*partner.Partner, error)
//
// which *Registry satisfies (style rule 2).
//
// Spec coverage: SAML 2.0 metadata (saml-metadata-2.0-os) §2.2.1
// (validUntil, cacheDuration), §2.3.1 (EntitiesDescriptor), §3 (signature
// processing); eIDAS metadata rules (spec-digest §2.7: published over
// HTTPS, signed, validated against a trust store, expired metadata
// rejected). Requirements: N23 (trust by exchanged certificates, separate
// test and production environments), N24 (integration template), N25
// (suspension). landscape.md, "what users of peer systems ask for" 3:
// several IdPs or federation metadata, refresh, signed metadata, key
// rollover.
//
// The parser is saml/metadata's (with its limits, DOCTYPE refusal and
// signature-wrapping defences); this package adds the size cap before
// parsing, trust per source, environment separation, refresh and
// suspension.
package partner
