// Package idp is the identity provider template for credential issuers
// (issue 3, item 2; requirement N24): an issuer drops it into its own
// system, implements Authenticator (a password form, a one-time code, a
// smart card) and gets SAML 2.0 single sign-on, single logout and signed
// metadata, strict by default.
//
// # Two layers
//
// The lower layer takes (ctx, *http.Request) and returns typed results:
// IdP.ParseAuthnRequest verifies an AuthnRequest, IdP.MakeResponse and
// IdP.MakeStatusResponse build signed responses, WriteResponse posts them,
// IdP.ParseLogoutRequest verifies logout. The upper layer, IdP.Mount and
// IdP.Handler, builds http.Handlers from them with method patterns, a size
// cap on every endpoint and one adapter that turns errors into an HTML page
// (while the ACS is not yet trusted) or a SAML status to the SP.
//
// # AuthnRequest verification
//
// Signed requests are required (query signature over the raw octets on
// HTTP-Redirect, enveloped signature on HTTP-POST) and verified with the
// certificates of the SP's metadata only (N23); AllowUnsignedRequests
// loosens that. The Issuer must be a trusted SP partner; the ACS comes from
// its metadata only (an AssertionConsumerServiceURL must be listed exactly,
// CVE-2023-45683; an index must exist; neither means the default), with
// the HTTP-POST binding; Destination must be the SSO URL; IssueInstant must
// lie within RequestMaxAge and ClockSkew; a request ID is accepted once;
// DOCTYPE, oversize input and deflate bombs are refused by saml and
// saml/binding. The requested level of assurance (RequestedAuthnContext,
// the NIAS MinAuthenticationSecurityLevel condition and the STORK QAA
// extension) is parsed with a loa.Registry; one the configured Levels
// cannot reach is answered NoAuthnContext (N11, N12). ForceAuthn and
// IsPassive are honoured (NoPassive without a usable session).
//
// # Responses
//
// One assertion, always signed (the Response too with SignResponse), per
// SP with the first alg:SigningMethod of its metadata the key can make,
// RSA-PSS for eIDAS SPs, else the configured default; bearer confirmation
// with Recipient, NotOnOrAfter and InResponseTo; Conditions with the SP as
// audience; an AuthnStatement with SessionIndex and the achieved level's
// AuthnContextClassRef; attributes passed through (NIAS short names and
// eIDAS URIs alike). Encryption to the SP's metadata certificate is
// configuration (EncryptAssertions, EncryptAssertionsFor): SAML metadata
// has no flag for it. Lifetime defaults to 5 minutes (eIDAS 300 s).
//
// # Sessions and logout (N13, N14)
//
// The issuer keeps an SSO session (SessionStore; memory by default) that a
// later request reuses when its level suffices, recording every SP that
// received an assertion with its own NameID and SessionIndex. A
// LogoutRequest (Redirect, POST or SOAP) must be signed, and its NameID and
// SessionIndex must name that SP's part of the session; otherwise nothing
// changes (SessionIndex confusion). The session ends and the other
// participants are told: over SOAP where their metadata has a SOAP
// endpoint, otherwise by walking the browser through them; the answer is
// Success, or Success/PartialLogout when a participant failed (spec-digest
// §5.4).
//
// # Suspension (N25)
//
// IdP.Suspend takes the whole issuer out of service and a suspended SP
// partner is refused too: the SP gets Responder/RequestDenied with the
// notice as StatusMessage; a browser whose request cannot be verified sees
// the notice on a page.
//
// Credential issuers keep their own user data (N28); the Authenticator is
// where that data is consulted, and IdP.Logout ends a session whose
// credential was misused.
package idp
