// Command eservice is a runnable demo e-service built on the SP template
// (saml/sp, issue 3 item 4): a public page, a page that needs level of
// assurance substantial, one that needs high (to show step-up, N12), a
// profile page showing everything that arrived (NameID and format,
// SessionIndex, LoA, issuer, every attribute with all its values) and
// single logout (N14).
//
// Run it together with the issuer, from the repository root:
//
//	go run ./examples/issuer      # http://127.0.0.1:8444/
//	go run ./examples/eservice    # http://127.0.0.1:8443/
//
// Open http://127.0.0.1:8443/substantial, sign in as ana or ivan (see the
// issuer's console), then open /high: a session at substantial is sent back
// to the issuer for ivan's one-time code and admitted at high (N11, N12).
// The session lasts at most an hour and ends after 15 idle minutes (N16).
//
// On first run the signing key and certificate (ECDSA P-256) and the
// AES-256 cookie key are created in the data directory (-data, default
// eidkit-data/eservice) and reused later.
//
// Trust: the e-service fetches the issuer metadata by URL (-idp-metadata)
// through saml/partner and accepts it only when it is signed by the
// certificate in the issuer's data directory (-idp-cert, default
// eidkit-data/issuer/issuer-signing.crt): the out-of-band exchange of N23,
// here a shared disk. Until the issuer is up and that file exists, it keeps
// retrying in the background and sign-in pages say the identity provider
// is unavailable. -allow-unsigned-metadata accepts unsigned metadata when
// the file is missing; RISK: any local process answering at that URL could
// then sign anyone in.
//
// Development only: it speaks plain HTTP and refuses to listen anywhere but
// loopback (127.0.0.1 or localhost); sp.Config.AllowInsecureHTTP drops the Secure cookie flag (and
// SameSite=None) and partner.Source.AllowInsecureHTTP accepts the http
// metadata URL (both loopback only). Production e-services run behind HTTPS.
package main
