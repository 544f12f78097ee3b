; Quill's shipped example: from a full name, the initials with dots.
; Run it with: target/release/quill synth examples/initials.sl
(set-logic SLIA)

(synth-fun initials ((name String)) String
    ((Start String) (S String) (I Int))
    ((Start String (S))
     (S String (name "." " " (str.++ S S) (str.at S I) (str.substr S I I)))
     (I Int (0 1 (+ I I) (str.indexof S S I) (str.len S)))))

(constraint (= (initials "Ada Lovelace") "A.L."))
(constraint (= (initials "Alan Turing") "A.T."))
(constraint (= (initials "Grace Hopper") "G.H."))
(constraint (= (initials "Edsger Dijkstra") "E.D."))

(check-synth)
