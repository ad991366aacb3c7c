// Package acl declares who may do what on Watchpost's Kafka resources and applies that
// declaration to a cluster with kadm.
//
// The declaration (deploy/acls.yaml) speaks Watchpost, not Kafka: roles grant reads and
// writes on topics named by their role in deploy/topics.yaml, consumer groups and
// transactional ids; principals (SCRAM users) take one role, with the carrier or country
// they act for. Bindings expands it, for one topic declaration, into Kafka ACL bindings;
// Apply creates the missing ones and deletes every binding it manages that is no longer
// declared.
//
// Per-carrier and per-country topics. Kafka ACLs cannot look inside records, so "a carrier
// writes only its own input" and "a control room reads only its own country's alerts" are
// enforceable only with one topic per carrier and per country. Their names derive from the
// declared topic by inserting the qualifier before the version segment
// (QualifiedTopic("watchpost.alerts.v1", "FRA") is "watchpost.alerts.FRA.v1"); producers of
// such topics should use QualifiedTopic too. A topic reference in a role is
//
//	ROLE            the declared topic, LITERAL             watchpost.manifests.v1
//	ROLE/{carrier}  the carrier's topic, LITERAL            watchpost.manifests.AF.v1
//	ROLE/{carrier}* every version of it, PREFIXED           watchpost.manifests.AF.
//	ROLE/*          the whole family, PREFIXED              watchpost.manifests.
//
// with {country} (and {user}) likewise. A per-country role of the topic declaration
// (watchpost.notifications.{country}.v1) has no single topic: only ROLE/* refers to it, the
// family up to the country (watchpost.notifications.). The shipped file grants carriers and control rooms
// LITERAL topics: a new topic version is a deliberate ACL change, and no prefix can ever
// reach a topic it was not written for. Every PREFIXED resource ends at a separator ('.',
// '-' or '_'), so the prefix for carrier AF can never cover carrier AFR's topic.
//
// Which bindings Apply manages. Kafka ACLs carry no labels, so ownership is by resource:
// every binding on a topic, group or transactional id whose name starts with one of the
// file's manage.resource_prefixes belongs to the file and is deleted when not declared
// (whoever created it); bindings on other resources, and cluster bindings, are never
// touched. Every declared binding must fall inside that scope, or a later apply could not
// remove it. Deployments sharing a cluster need disjoint prefixes.
//
// The package imports deploy, kadm, kmsg and yaml.v3; it logs nothing. Its values are not mutated
// after Parse and are safe for concurrent reads.
package acl
