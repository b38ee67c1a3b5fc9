// Command eidkit-account is the operators' tool for account/policy and
// account: it checks a password against a profile and account class and
// prints every reason, explains a profile against NIST SP 800-63B rev 4,
// and creates, resets, suspends, restores, lists and sweeps accounts in a
// SQLite file (-db) or a PostgreSQL schema (-pg, -schema).
//
//	echo 'Tq7#vLp2!mXz' | eidkit-account check -profile narp -class administrator
//	eidkit-account create -db accounts.db -first Jana -surname Nováková -email jana@example.cz -role researcher
//	eidkit-account list -db accounts.db
//	eidkit-account suspend -db accounts.db -username novakovaj1 -reason "suspicious traffic"
//	eidkit-account reset -db accounts.db -username novakovaj1
//
// Exit status: 0 success, 1 password rejected, 2 usage or other error.
package main
