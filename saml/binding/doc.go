// Package binding carries SAML 2.0 messages over HTTP: the HTTP-Redirect,
// HTTP-POST and SOAP 1.1 bindings (SAML 2.0 Bindings, SAMLBind §3.2, §3.4,
// §3.5; spec-digest §5.1-§5.3). It is the lower layer the SP and IdP
// templates build their http.Handlers on: functions that turn a message into
// a URL, a page or a request, and an *http.Request back into bytes, with
// typed errors (errors.go) for every way the input can be wrong.
//
// HTTP-Redirect: [Redirect.URL] raw-DEFLATEs, base64- and URL-encodes a
// message and signs the query string (SAMLRequest=…&RelayState=…&SigAlg=…
// in that order) with saml/dsig. [DecodeRedirect] parses r.URL.RawQuery
// itself, keeping every parameter's octets exactly as received, inflates
// under an explicit cap (deflate bombs: CVE-2023-26483, CVE-2023-28119) and
// [RedirectMessage.Verify] checks the signature over the received octets
// with the sender's configured certificates only (the query signature that
// gosaml2 does not handle).
//
// HTTP-POST: [WritePOST] / [POST.Write] render an auto-submitting form with
// html/template that works under a strict Content-Security-Policy (one
// script allowed by hash, form-action limited to the destination) and
// refuses any destination that is not an absolute http(s) URL
// (CVE-2023-45683). [DecodePOST] reads the form under a body cap.
//
// SOAP: [WrapSOAP], [UnwrapSOAP], [ReadSOAP], [WriteSOAP], [WriteSOAPFault]
// and the retrying back-channel [SOAPClient] (for single logout, N14).
//
// RelayState is at most 80 bytes on every binding, on the way out and in
// (SAMLBind §3.4.3, §3.5.3): ErrRelayStateTooLong. It is returned as
// received; binding it to the browser session and refusing open redirects
// is the caller's job.
//
// Requirements: N2 (SAML 2.0 messages), N13/N14 (single sign-on and
// sign-out over these bindings), N23 (trust only in certificates exchanged
// beforehand: Verify takes them from configuration, never from the
// message), N24 (the integration template's send/receive step).
package binding
