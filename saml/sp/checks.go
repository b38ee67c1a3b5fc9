package sp

import (
	"time"

	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
)

// checkAssertion runs the assertion checks and builds the Identity.
// signedIRT is the Response's InResponseTo when the Response is signed, "" otherwise.
func (sp *SP) checkAssertion(a *saml.Assertion, idp *trustedIdP, now time.Time, signedIRT string, outstanding []Outstanding) (*Identity, error) {
	if err := sp.checkIssuer(&a.Issuer, "Assertion/Issuer"); err != nil {
		return nil, err
	}
	if err := sp.checkInstant(a.IssueInstant, now, "Assertion/IssueInstant"); err != nil {
		return nil, err
	}
	if a.Subject == nil || a.Subject.NameID == nil || a.Subject.NameID.Value == "" {
		// An EncryptedID subject is not supported: NIAS and eIDAS send NameID.
		return nil, fail(ErrSubject, "Assertion/Subject", "no NameID")
	}
	irt, err := sp.checkConfirmation(a.Subject, now)
	if err != nil {
		return nil, err
	}
	req, err := sp.correlate(irt, signedIRT, outstanding)
	if err != nil {
		return nil, err
	}
	if err := sp.checkConditions(a.Conditions, now); err != nil {
		return nil, err
	}
	st, lvl, err := sp.checkAuthn(a, idp, now, req.Level)
	if err != nil {
		return nil, err
	}
	n := a.Subject.NameID
	id := &Identity{
		NameID: n.Value, NameIDFormat: n.Format, NameQualifier: n.NameQualifier, SPNameQualifier: n.SPNameQualifier,
		SessionIndex: st.SessionIndex, LoA: lvl, LoAClassRef: st.AuthnContextClassRef, Issuer: a.Issuer.Value,
		AuthnInstant: st.AuthnInstant, SessionNotOnOrAfter: st.SessionNotOnOrAfter, AssertionID: a.ID,
		RequestID: req.ID,
	}
	id.Attributes, id.RawAttributes = convertAttributes(a.AttributeStatements)
	for _, st := range a.AttributeStatements {
		if n := len(st.EncryptedAttributes); n > 0 {
			sp.cfg.log.Warn("sp: EncryptedAttribute elements are not read", "count", n, "assertion_id", a.ID)
		}
	}
	return id, nil
}

// checkConfirmation finds the single bearer SubjectConfirmation and checks
// its data; it returns the data's InResponseTo.
func (sp *SP) checkConfirmation(s *saml.Subject, now time.Time) (string, error) {
	var bearer *saml.SubjectConfirmation
	for i := range s.SubjectConfirmations {
		if s.SubjectConfirmations[i].Method != saml.ConfirmationMethodBearer {
			continue
		}
		if bearer != nil {
			return "", fail(ErrConfirmation, "SubjectConfirmation", "more than one bearer confirmation")
		}
		bearer = &s.SubjectConfirmations[i]
	}
	const check = "SubjectConfirmationData"
	switch {
	case bearer == nil:
		return "", fail(ErrConfirmation, "SubjectConfirmation", "no bearer confirmation")
	case bearer.Data == nil:
		return "", fail(ErrConfirmation, check, "missing")
	case !bearer.Data.NotBefore.IsZero():
		return "", fail(ErrConfirmation, check, "NotBefore is not allowed on a bearer confirmation")
	case bearer.Data.Recipient != sp.cfg.acsURL:
		return "", fail(ErrRecipient, check, "Recipient %q is not the ACS URL", bearer.Data.Recipient)
	case bearer.Data.NotOnOrAfter.IsZero():
		return "", fail(ErrConfirmation, check, "NotOnOrAfter missing")
	case !now.Before(bearer.Data.NotOnOrAfter.Add(sp.cfg.skew)):
		return "", fail(ErrExpired, check, "NotOnOrAfter %s has passed", saml.FormatTime(bearer.Data.NotOnOrAfter))
	}
	return bearer.Data.InResponseTo, nil
}

// correlate matches the signed InResponseTo values against the outstanding
// requests of this browser.
func (sp *SP) correlate(irt, signedRespIRT string, outstanding []Outstanding) (Outstanding, error) {
	if signedRespIRT != "" && signedRespIRT != irt {
		return Outstanding{}, fail(ErrInResponseTo, "InResponseTo", "Response and SubjectConfirmationData disagree")
	}
	if irt == "" {
		if !sp.cfg.AllowUnsolicited {
			return Outstanding{}, fail(ErrUnsolicited, "InResponseTo", "missing")
		}
		return Outstanding{Level: sp.defLevel}, nil
	}
	for _, o := range outstanding {
		if o.ID == irt {
			return o, nil
		}
	}
	return Outstanding{}, fail(ErrInResponseTo, "InResponseTo", "%q is not an outstanding request of this browser", irt)
}

func (sp *SP) checkConditions(c *saml.Conditions, now time.Time) error {
	if c == nil {
		return fail(ErrAudience, "Conditions", "missing, so no AudienceRestriction")
	}
	if !c.NotBefore.IsZero() && now.Add(sp.cfg.skew).Before(c.NotBefore) {
		return fail(ErrNotYetValid, "Conditions/NotBefore", "%s is in the future", saml.FormatTime(c.NotBefore))
	}
	if !c.NotOnOrAfter.IsZero() && !now.Before(c.NotOnOrAfter.Add(sp.cfg.skew)) {
		return fail(ErrExpired, "Conditions/NotOnOrAfter", "%s has passed", saml.FormatTime(c.NotOnOrAfter))
	}
	if len(c.Unknown) > 0 {
		return fail(ErrCondition, "Conditions", "%d unsupported condition(s), first %s", len(c.Unknown), c.Unknown[0].Tag)
	}
	if len(c.AudienceRestrictions) == 0 {
		return fail(ErrAudience, "Conditions/AudienceRestriction", "missing")
	}
	for _, ar := range c.AudienceRestrictions {
		found := false
		for _, aud := range ar {
			if aud == sp.cfg.EntityID {
				found = true
				break
			}
		}
		if !found {
			return fail(ErrAudience, "Conditions/AudienceRestriction", "this SP is not among %q", ar)
		}
	}
	return nil
}

// checkAuthn checks the single AuthnStatement and the achieved level.
func (sp *SP) checkAuthn(a *saml.Assertion, idp *trustedIdP, now time.Time, want loa.Level) (*saml.AuthnStatement, loa.Level, error) {
	if len(a.AuthnStatements) != 1 {
		return nil, loa.Level{}, fail(ErrAuthnStatement, "AuthnStatement", "%d statements, want exactly 1", len(a.AuthnStatements))
	}
	st := &a.AuthnStatements[0]
	if st.SessionIndex == "" && len(idp.Metadata.IDP.SingleLogoutServices) > 0 {
		return nil, loa.Level{}, fail(ErrAuthnStatement, "AuthnStatement/SessionIndex", "missing while the IdP offers single logout")
	}
	if !st.SessionNotOnOrAfter.IsZero() && !now.Before(st.SessionNotOnOrAfter) {
		return nil, loa.Level{}, fail(ErrExpired, "AuthnStatement/SessionNotOnOrAfter", "%s has passed", saml.FormatTime(st.SessionNotOnOrAfter))
	}
	if st.AuthnInstant.After(now.Add(sp.cfg.skew)) {
		return nil, loa.Level{}, fail(ErrNotYetValid, "AuthnStatement/AuthnInstant", "in the future")
	}
	if st.AuthnContextClassRef == "" {
		return nil, loa.Level{}, fail(ErrLoA, "AuthnContextClassRef", "missing")
	}
	lvl, err := sp.loa.ParseClassRef(st.AuthnContextClassRef)
	if err != nil {
		return nil, loa.Level{}, failCause(ErrLoA, "AuthnContextClassRef", err)
	}
	if !sp.loa.Satisfies(lvl, loa.Minimum(want)) {
		return nil, loa.Level{}, fail(ErrLoA, "AuthnContextClassRef", "%s does not satisfy %s", lvl, want)
	}
	return st, lvl, nil
}
