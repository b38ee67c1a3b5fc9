// Package sp is the service provider template for e-services (N24): a
// drop-in SAML 2.0 SP that sends a signed AuthnRequest to the identity
// provider (the NIAS-like broker), receives the Response, checks it strictly
// and hands the application a typed Identity.
//
// It is safe without reading a manual: every check the peers leave to the
// caller (landscape.md "What gosaml2 and goxmldsig do NOT do for you") is on
// by default, and loosening one is an explicit Allow/Require option whose
// doc states the risk.
//
// # Two layers
//
// The lower layer is plain functions: SP.MakeAuthnRequest, SP.StartLogin,
// SP.ValidateResponse (every check, on decoded XML) and SP.ParseResponse
// (HTTP-POST decoding plus the browser-bound request state). The upper layer
// is SP.Mount / SP.Handler, which register the endpoints on an
// http.ServeMux, and the SP.RequireLoA middleware. Handlers return errors as
// values; one adapter logs the reason and shows a plain HTML page (browser)
// or answers a SAML status / SOAP fault (back channel). Every endpoint sits
// behind a size cap.
//
// # Response checks
//
// See SP.ValidateResponse for the full list: issuer bound to the configured
// IdP; signatures verified only with the IdP's metadata certificates; the
// assertion covered by a signature; correlation (InResponseTo, Destination)
// read only from signed content; exactly one assertion; bearer confirmation
// with Recipient, NotOnOrAfter and InResponseTo; audience; time windows with
// clock skew; unknown conditions refused; the replay cache; and the level of
// assurance (N11). Assertions may be encrypted (AES-GCM with RSA-OAEP);
// Config.RequireEncryptedAssertions demands it (eIDAS), while NIAS sends
// signed plain assertions, so it is off by default.
//
// # Browser binding
//
// Each outstanding AuthnRequest is sealed (AES-256-GCM) in its own cookie,
// named after a random RelayState handle that is the only RelayState sent: it
// is opaque, never a URL, and the return path stored with it must be a local
// path, so the ACS is never an open redirect. The cookie must survive the
// IdP's cross-site POST, so it is SameSite=None; Secure (Config.
// AllowInsecureHTTP relaxes this for loopback development only).
//
// # Levels and step-up (N11, N12)
//
// SP.RequireLoA guards a route with a minimum level: no session starts a
// login at that level, a lower session steps up, a higher one is admitted.
//
// # Sessions (N16)
//
// The application session is kept by a SessionStore (default: a sealed
// cookie) with a MaxAge and IdleTimeout the e-service chooses; Config.OnLogin
// and Config.OnLogout let the application keep its own.
//
// # Single logout (N14)
//
// SP-initiated logout sends a signed LogoutRequest with NameID and
// SessionIndex and checks the LogoutResponse against the request this browser
// started. IdP-initiated logout is accepted on the front channel (HTTP-Redirect
// with the query signature verified over the raw octets, HTTP-POST) and on the
// SOAP back channel (spec-digest §4.4, §5.3, §5.4): the message must be
// signed, fresh, not replayed, from the configured IdP, and it ends only the
// sessions matching its issuer, NameID and SessionIndex, recorded in a
// RevocationStore so that cookie sessions elsewhere are refused afterwards.
//
// Requirements: N11, N12, N14, N16, N24 (and N23, N25 through the IdP
// lookup). Specs: SAML core §2-3, bindings §3.2/3.4/3.5, profiles §4.1/4.4;
// spec-digest §2.3, §4.3, §4.4, §5.
package sp
