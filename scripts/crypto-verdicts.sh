#!/usr/bin/env bash
# Moderators' verdicts for the README's feedback-loop example: N (default 60) fake crypto giveaways, all spam.
# Each text is four parts of eleven wordings; text (a, b) takes parts a, b, a+b and a+2b (mod 11), so no two
# share more than one part: none is a near-copy of another, and the retrainer's gate counts each held-back
# one as independent evidence (FeedbackLoopIT teaches the same texts). Usage: crypto-verdicts.sh [N] [FIRST]
set -euo pipefail
n=${1:-60}
first=${2:-0}
p0=("quick heads up from Mia," "psst, Jonas here with big news:" "breaking from the Priya community desk:"
    "Carlos just confirmed it on stream:" "official notice for all holders:" "my cousin Wen works there and says"
    "giveaway alert from Olga's channel:" "verified announcement, pinned by Tariq:"
    "Lena from support messaged me privately:" "trending right now in Sven's group:"
    "last call from the Aiko airdrop team:")
p1=("the solana foundation is mirroring every deposit 2x" "dogecoin treasury doubles whatever you send"
    "ether developers return triple for each contribution" "bitcoin whale wallet refunds five times your transfer"
    "cardano staking pool pays back 3x instantly" "ripple labs matches all incoming coins twice over"
    "tether reserve multiplies payments by four" "binance promo credits double your balance immediately"
    "polygon grant program sends back tenfold" "litecoin charity fund gives 200 percent returns"
    "shiba community vault repays every token with interest")
p2=("just transfer to the pinned address" "send any amount to the wallet in my bio" "deposit through the link below"
    "connect your seed phrase at the claim page" "pay into the QR code attached" "move funds to this verified escrow"
    "dm me your wallet and send first" "use the claim portal with your private key"
    "wire it to the contract address shown" "scan the code and approve the transaction"
    "forward coins to the event address")
p3=("until midnight and keep the receipt" "this weekend only, no exceptions" "for the next hour while supply lasts"
    "until Sunday before the snapshot" "today only, spots are limited" "before the countdown ends tonight"
    "first hundred people get it" "ends when the bonus pool empties" "offer closes at block 900000"
    "hurry, the window closes soon" "only during the live event")
for ((i = first; i < first + n; i++)); do
  a=$((i / 11 % 11)); b=$((i % 11))
  text="${p0[a]} ${p1[b]} ${p2[$(((a + b) % 11))]} ${p3[$(((a + 2 * b) % 11))]}"
  printf '{"id":"fb-%d","labels":{"spam":true},"text":"%s"}\n' "$i" "$text"
done
