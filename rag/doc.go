// Package rag answers questions from the index: hybrid retrieval (BM25 and
// vectors fused by score or reciprocal rank, then reranked by how much of
// the question the passages' best sentences hold, or by a reranker), then an answer
// with [n] citations, either extracted from the passages or written by a
// language model and checked against them, or a refusal when the documents
// do not say.
//
// Engine.Answer is a pipeline of named stages (rank holds retrieve to rerank), each a function of typed
// values:
//
//	resolve   followup.go  a follow-up and the previous turn's result (kept by chat and the bot,
//	                       else recovered from the history's text) → a standalone question,
//	                       the previous documents kept for retrieval (rules followup-… in rules.go)
//	analyze   analysis.go  question → *Analysis: folded text, weighted terms, years and the time
//	                       asked (when.go: years, 去年/今年 relative to each document, outcome or
//	                       target), places, names, intents (the rules table, rules.go), unit,
//	                       count, ordinals, parts, the documents it names (about.go)
//	retrieve  engine.go    Analysis → the Retriever's candidates, with BM25 and vector scores and
//	                       ranks, plus the best chunks of the documents it names (Query.Docs)
//	fuse      engine.go    candidates → one fused score each (normalized scores or reciprocal rank)
//	rerank    answer.go    candidates → reordered by their best sentence (the words naming a
//	                       document count as held by each of its sentences), the time they are
//	                       about (resolved per section at ingest) against the time asked, the
//	                       documents the question names (inside one named clearly, its passages
//	                       leveled towards its best, so content orders them), another place's
//	                       document (or by a Reranker); near-duplicates dropped (dedupe.go)
//	select    extract.go   passages → sentences scored (coverage with their heading path,
//	                       title and the time frame of their run of clauses, the kind of thing
//	                       asked: an amount, not a gap; a growth told as one), the best one
//	                       with the sentence it leans on and close runners-up → spans
//	refuse    refuse.go    Analysis, spans → the first of refusalChecks that refuses, if any
//	          nearmiss.go  (39 named checks, each with a table test: years, places, key terms
//	                       and indicators held apart, units, ranks of what is asked, dates of
//	                       events, causes, quoted titles, meeting sessions, posts, gaps, counted
//	                       lists…), naming what the documents lack and the nearest
//	                       documents
//	compose   outline.go   spans → the items of one list, each cited (sibling headings of
//	                       one rung, a 一是…二是… run in a paragraph, paragraphs opening
//	                       alike), or (parts.go) the answers to a question's parts merged
//	generate  llm.go       passages → a model's answer (LLM mode)
//	verify    check.go     the model's answer → citations and figures checked
//	render    answer.go    spans → the answer's text, its citations and label (script.go)
//
// Every weight the stages use is a field of Weights. Query.Explain asks for
// an Explanation of what the stages saw and decided.
package rag
