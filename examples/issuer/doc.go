// Command issuer is a runnable demo credential issuer built on the IdP
// template (saml/idp, issue 3 item 4): a login form with two demo users,
// a TOTP one-time code as second factor, NIAS-like attributes (oib, ime,
// prezime, dat_rod, oznaka_drzave_eid) plus an eIDAS PersonIdentifier,
// signed responses, an SSO session and single logout (N13, N14, N24).
//
// Run it together with the e-service, from the repository root:
//
//	go run ./examples/issuer      # http://127.0.0.1:8444/
//	go run ./examples/eservice    # http://127.0.0.1:8443/
//
// Demo users: ana / ana-demo-2026 reaches LoA substantial with a password;
// ivan / ivan-demo-2026 reaches substantial with the password and high
// after a one-time code (the otpauth URI is printed at start; -show-codes
// prints the current code on the console instead).
//
// One sign-in tolerates 5 wrong passwords or codes before the e-service is
// told AuthnFailed; 10 consecutive wrong passwords lock an account for 15
// minutes. A code is accepted once (RFC 6238 §5.2), within one 30-second
// step of drift.
//
// On first run the signing key and certificate (ECDSA P-256), ivan's TOTP
// secret and the key deriving pairwise persistent NameIDs are created in
// the data directory (-data, default eidkit-data/issuer) and reused later.
//
// Trust: the issuer fetches the e-service metadata by URL (-sp-metadata)
// through saml/partner, and accepts it only when it is signed by the
// certificate in the e-service's data directory (-sp-cert, default
// eidkit-data/eservice/eservice-signing.crt): the out-of-band exchange of
// N23, here a shared disk. Until the e-service is up and that file exists,
// the issuer keeps retrying in the background and trusts no e-service.
// -allow-unsigned-metadata accepts unsigned metadata instead when the file
// is missing; RISK: then any local process answering at that URL can pose
// as the e-service.
//
// Development only: it speaks plain HTTP and refuses to listen anywhere but
// loopback (127.0.0.1 or localhost; IPv6 literals cannot be named in the
// HTTP-POST binding's Content-Security-Policy); idp.Config.AllowInsecureCookies drops the Secure cookie flag
// and partner.Source.AllowInsecureHTTP accepts the http metadata URL (both
// loopback only). Production issuers run behind HTTPS with keys from their
// key management.
package main
