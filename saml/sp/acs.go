package sp

import (
	"context"
	"errors"
	"time"

	"github.com/beevik/etree"
	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/dsig"
)

// Outstanding is an AuthnRequest this browser is waiting for an answer to.
type Outstanding struct {
	// ID is the AuthnRequest ID.
	ID string
	// Level is the minimum level the request asked for (N11).
	Level loa.Level
}

// ValidateResponse runs every check on a samlp:Response received at the ACS
// (the XML as decoded from the HTTP-POST binding) and returns the identity it
// carries. outstanding lists the requests bound to this browser; a response
// must answer one of them (through the InResponseTo of signed content), unless
// Config.AllowUnsolicited is set and it answers none.
//
// The checks, each failing with a *CheckError (landscape.md "do NOT do for
// you", spec-digest §2.3, §5.2, §5.5): safe parse under Config.Limits; the IdP
// is known, not suspended and its metadata valid; Response and Assertion
// Issuer are the configured IdP; every signature present verifies with the
// IdP's metadata certificates (never KeyInfo) under Config.SignaturePolicy,
// and the assertion is covered by one; a signed Response has Destination =
// the ACS URL; status Success; IssueInstants neither too old nor in the
// future; exactly one assertion, decrypted when encrypted; Subject with
// NameID; exactly one bearer SubjectConfirmation with Recipient = ACS,
// NotOnOrAfter in the future, no NotBefore, InResponseTo = an outstanding
// request; Conditions with their time window and an AudienceRestriction naming
// this SP, no unknown condition; exactly one AuthnStatement, SessionIndex
// when the IdP offers single logout, SessionNotOnOrAfter in the future;
// AuthnContextClassRef known and satisfying the requested level; Response and
// Assertion IDs never seen before (replay cache).
func (sp *SP) ValidateResponse(ctx context.Context, data []byte, outstanding ...Outstanding) (*Identity, error) {
	now := sp.cfg.now()
	doc, err := saml.ParseXML(data, sp.cfg.Limits)
	if err != nil {
		return nil, failCause(ErrMalformed, "Response/XML", err)
	}
	resp, err := saml.ParseResponse(doc.Root())
	if err != nil {
		return nil, failCause(ErrMalformed, "Response", err)
	}
	idp, err := sp.lookupIdP(ctx)
	if err != nil {
		return nil, err
	}
	v := &dsig.Verifier{Certificates: idp.certs, Policy: sp.cfg.SignaturePolicy}
	respSigned, err := sp.checkResponse(resp, v, now)
	if err != nil {
		return nil, err
	}
	a, aSigned, err := sp.extractAssertion(resp, v)
	if err != nil {
		return nil, err
	}
	if !respSigned && !aSigned {
		return nil, fail(ErrUnsigned, "Signature", "neither Response nor Assertion is signed")
	}
	if sp.cfg.RequireSignedAssertion && !aSigned {
		return nil, fail(ErrUnsigned, "Assertion/Signature", "assertion signature required")
	}
	signedIRT := ""
	if respSigned {
		signedIRT = resp.InResponseTo
	}
	id, err := sp.checkAssertion(a, idp, now, signedIRT, outstanding)
	if err != nil {
		return nil, err
	}
	if err := sp.checkReplay(ctx, resp.ID, a, now); err != nil {
		return nil, err
	}
	return id, nil
}

// checkResponse checks the Response envelope and reports whether it carries
// a valid signature.
func (sp *SP) checkResponse(resp *saml.Response, v *dsig.Verifier, now time.Time) (bool, error) {
	signed := dsig.HasSignature(resp.Raw)
	if signed {
		if _, err := v.Verify(resp.Raw); err != nil {
			return false, failCause(ErrBadSignature, "Response/Signature", err)
		}
	} else if sp.cfg.RequireSignedResponse {
		return false, fail(ErrUnsigned, "Response/Signature", "response signature required")
	}
	if resp.Issuer != nil {
		if err := sp.checkIssuer(resp.Issuer, "Response/Issuer"); err != nil {
			return false, err
		}
	} else if signed || len(resp.EncryptedAssertions) > 0 {
		return false, fail(ErrIssuer, "Response/Issuer", "missing")
	}
	switch {
	case signed && resp.Destination == "":
		return false, fail(ErrDestination, "Response/Destination", "missing on a signed response")
	case resp.Destination != "" && resp.Destination != sp.cfg.acsURL:
		return false, fail(ErrDestination, "Response/Destination", "%q is not the ACS URL", resp.Destination)
	}
	if err := resp.Err(); err != nil {
		return false, &CheckError{Check: "Response/Status", Err: ErrStatus, Cause: err}
	}
	if err := sp.checkInstant(resp.IssueInstant, now, "Response/IssueInstant"); err != nil {
		return false, err
	}
	return signed, nil
}

// extractAssertion returns the single assertion, decrypted if needed, and
// whether it carries its own valid signature.
func (sp *SP) extractAssertion(resp *saml.Response, v *dsig.Verifier) (*saml.Assertion, bool, error) {
	if n := len(resp.Assertions) + len(resp.EncryptedAssertions); n != 1 {
		return nil, false, fail(ErrAssertionCount, "Response/Assertion", "%d assertions", n)
	}
	var a *saml.Assertion
	if len(resp.Assertions) == 1 {
		if sp.cfg.RequireEncryptedAssertions {
			return nil, false, fail(ErrEncryptionRequired, "Response/Assertion", "plain assertion")
		}
		a = resp.Assertions[0]
	} else {
		el, err := sp.decrypt(resp.EncryptedAssertions[0])
		if err != nil {
			return nil, false, err
		}
		if a, err = saml.ParseAssertion(el); err != nil {
			return nil, false, failCause(ErrMalformed, "EncryptedAssertion/Assertion", err)
		}
	}
	if !dsig.HasSignature(a.Raw) {
		return a, false, nil
	}
	if _, err := v.Verify(a.Raw); err != nil {
		return nil, false, failCause(ErrBadSignature, "Assertion/Signature", err)
	}
	return a, true, nil
}

func (sp *SP) decrypt(enc *etree.Element) (*etree.Element, error) {
	if len(sp.decrypter.Keys) == 0 {
		return nil, fail(ErrDecrypt, "EncryptedAssertion", "no decryption key configured")
	}
	el, err := sp.decrypter.Decrypt(enc)
	if err != nil {
		return nil, failCause(ErrDecrypt, "EncryptedAssertion", err)
	}
	return el, nil
}

func (sp *SP) checkIssuer(n *saml.NameID, check string) error {
	if n == nil || n.Value == "" {
		return fail(ErrIssuer, check, "missing")
	}
	if n.Format != "" && n.Format != saml.NameIDFormatEntity {
		return fail(ErrIssuer, check, "format %q is not entity", n.Format)
	}
	if n.Value != sp.cfg.IdPEntityID {
		return fail(ErrIssuer, check, "%q is not the configured IdP", n.Value)
	}
	return nil
}

// checkInstant refuses an IssueInstant older than MaxMessageAge or in the
// future, both beyond the clock skew.
func (sp *SP) checkInstant(t, now time.Time, check string) error {
	if t.After(now.Add(sp.cfg.skew)) {
		return fail(ErrNotYetValid, check, "%s is in the future", saml.FormatTime(t))
	}
	if t.Before(now.Add(-sp.cfg.maxAge - sp.cfg.skew)) {
		return fail(ErrExpired, check, "%s is too old", saml.FormatTime(t))
	}
	return nil
}

// checkReplay records the Response and Assertion IDs until the assertion
// expires; either one seen before refuses the response.
func (sp *SP) checkReplay(ctx context.Context, respID string, a *saml.Assertion, now time.Time) error {
	exp := now.Add(sp.cfg.maxAge)
	if c := a.Conditions; c != nil && c.NotOnOrAfter.After(exp) {
		exp = c.NotOnOrAfter
	}
	for _, sc := range a.Subject.SubjectConfirmations {
		if sc.Data != nil && sc.Data.NotOnOrAfter.After(exp) {
			exp = sc.Data.NotOnOrAfter
		}
	}
	exp = exp.Add(sp.cfg.skew)
	for _, key := range []string{"assertion:" + a.ID, "response:" + respID} {
		fresh, err := sp.replay.Add(ctx, sp.cfg.IdPEntityID+"|"+key, now, exp)
		if err != nil {
			if errors.Is(err, ErrCacheFull) {
				return failCause(ErrCacheFull, "Replay", err)
			}
			return failCause(ErrReplayed, "Replay", err)
		}
		if !fresh {
			return fail(ErrReplayed, "Replay", "%s seen before", key)
		}
	}
	return nil
}
