package io.streamguard.model.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * BERT WordPiece tokenizer: text to {@code [CLS] pieces [SEP]} ids, truncated to
 * {@link TokenizerOptions#maxLength()}. Immutable and thread-safe; share one instance.
 *
 * <p>Produces the same ids as the HuggingFace {@code tokenizers} library running a BERT
 * {@code tokenizer.json} (checked against it on real data, hard cases and every code point), and
 * hence as Google's original tokenizer, except where HuggingFace itself deviates from Google. Those
 * deviations are followed, since the shipped models were trained with HuggingFace:
 * <ul>
 *   <li>private-use code points are deleted (Google keeps them, giving [UNK]);
 *   <li>U+2028 and U+2029 separate words (Google keeps them inside words);
 *   <li>lower-casing maps code point by code point, so word-final Σ becomes σ, not ς;
 *   <li>ideographs U+2B820..U+2B91F are not split one per token (HuggingFace's CJK range starts
 *       at U+2B920).
 * </ul>
 * Where the two disagree, HuggingFace is not followed:
 * <ul>
 *   <li>Special tokens spelled out in the input ("[SEP]", "[CLS]", ...) are ordinary text here and
 *       tokenize like Google's BERT, as {@code [ sep ]}. HuggingFace would emit the special ids,
 *       letting any message author inject sequence boundaries into the model input.
 *   <li>Character classes come from the JDK's Unicode tables (Unicode 13 on Java 17); HuggingFace's
 *       are Unicode 8.0. For the 367 code points assigned or re-categorised since (combining marks
 *       and punctuation of minor scripts, none in BERT's vocabulary) we strip, split or delete as
 *       current Unicode says, as Google's BERT does on a current Python; HuggingFace treats them
 *       as letters. A newer JDK may move further code points.
 *   <li>Unpaired surrogates (ill-formed UTF-16, which cannot reach HuggingFace's Rust code
 *       unchanged) are deleted.
 *   <li>Letters that only look like ASCII ones (full-width forms, mathematical alphanumerics, Cyrillic
 *       and Greek look-alikes inside a Latin word) are folded onto them first ({@link LookAlikes}), so
 *       that they cannot disguise a word from the model.
 * </ul>
 */
public final class BertTokenizer {

    public static final String CLS = "[CLS]";
    public static final String SEP = "[SEP]";
    public static final String PAD = "[PAD]";
    public static final String UNK = "[UNK]";

    private final Vocabulary vocabulary;
    private final TokenizerOptions options;
    private final BasicTokenizer basic;
    private final WordPiece wordPiece;
    private final int clsId;
    private final int sepId;
    private final int padId;
    private final ThreadLocal<Scratch> scratch;

    private BertTokenizer(Vocabulary vocabulary, TokenizerOptions options) {
        this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
        this.options = Objects.requireNonNull(options, "options");
        this.clsId = vocabulary.requireId(CLS);
        this.sepId = vocabulary.requireId(SEP);
        this.padId = vocabulary.requireId(PAD);
        this.basic = new BasicTokenizer(options.lowerCase(), options.stripAccents());
        this.wordPiece = new WordPiece(vocabulary, vocabulary.requireId(UNK));
        int maxLength = options.maxLength();
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(maxLength));
    }

    /**
     * @throws InvalidVocabularyException if the vocabulary lacks [CLS], [SEP], [PAD] or [UNK]
     */
    public static BertTokenizer create(Vocabulary vocabulary, TokenizerOptions options) {
        return new BertTokenizer(vocabulary, options);
    }

    /** A tokenizer over a {@code vocab.txt}; see {@link Vocabulary#fromVocabTxt(Path)}. */
    public static BertTokenizer fromVocabTxt(Path vocabTxt, TokenizerOptions options) throws IOException {
        return new BertTokenizer(Vocabulary.fromVocabTxt(vocabTxt), options);
    }

    /**
     * A tokenizer reproducing a HuggingFace BERT {@code tokenizer.json}: its vocabulary and its
     * {@code lowercase}/{@code strip_accents} settings. Its own truncation and padding sections are
     * ignored: the caller picks {@code maxLength}, and padding belongs to batching.
     *
     * @throws UnsupportedTokenizerException if it is not a BERT WordPiece pipeline
     *     ({@code BertNormalizer}, {@code BertPreTokenizer}, WordPiece with {@code [UNK]},
     *     {@code ##} and 100 characters per word)
     */
    public static BertTokenizer fromTokenizerJson(Path tokenizerJson, int maxLength) throws IOException {
        try (InputStream in = Files.newInputStream(tokenizerJson)) {
            return fromTokenizerJson(in, maxLength);
        }
    }

    /** As {@link #fromTokenizerJson(Path, int)}; does not close {@code in}. */
    public static BertTokenizer fromTokenizerJson(InputStream in, int maxLength) throws IOException {
        TokenizerJson json = TokenizerJson.parse(in);
        Map<String, String> model = json.model();
        requireSetting("model", model, "type", "WordPiece");
        requireSetting("model", model, "unk_token", UNK);
        requireSetting("model", model, "continuing_subword_prefix", WordPiece.CONTINUATION_PREFIX);
        requireSetting(
                "model", model, "max_input_chars_per_word", Integer.toString(WordPiece.MAX_INPUT_CHARS_PER_WORD));
        Map<String, String> normalizer = json.normalizer();
        requireSetting("normalizer", normalizer, "type", "BertNormalizer");
        requireSetting("normalizer", normalizer, "clean_text", "true");
        requireSetting("normalizer", normalizer, "handle_chinese_chars", "true");
        requireSetting("pre_tokenizer", json.preTokenizer(), "type", "BertPreTokenizer");
        boolean lowerCase = booleanSetting(normalizer, "lowercase");
        // HuggingFace: strip_accents null means "same as lowercase", BERT's original coupling.
        boolean stripAccents =
                normalizer.get("strip_accents") == null ? lowerCase : booleanSetting(normalizer, "strip_accents");
        return new BertTokenizer(json.vocabulary(), new TokenizerOptions(lowerCase, stripAccents, maxLength));
    }

    /** Strict: guessing a missing or odd flag would silently change tokenization. */
    private static boolean booleanSetting(Map<String, String> normalizer, String key) {
        String value = normalizer.get(key);
        if (!"true".equals(value) && !"false".equals(value)) {
            throw new UnsupportedTokenizerException(
                    "tokenizer.json normalizer." + key + " is " + value + ", expected true or false");
        }
        return Boolean.parseBoolean(value);
    }

    private static void requireSetting(String section, Map<String, String> settings, String key, String expected) {
        String actual = settings == null ? null : settings.get(key);
        if (!expected.equals(actual)) {
            throw new UnsupportedTokenizerException("tokenizer.json " + section + "." + key + " is "
                    + (settings == null ? "(no " + section + ")" : actual) + ", expected " + expected);
        }
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public TokenizerOptions options() {
        return options;
    }

    /** The vocabulary's {@code [PAD]} id, which fills batch rows past their text. */
    public int padId() {
        return padId;
    }

    /**
     * Batches texts encoded earlier with {@link #encode}, padded to the longest: the same batch
     * {@link #encodeBatch(List)} gives for those texts, without tokenizing them again.
     */
    public EncodedBatch pad(List<Encoding> encodings) {
        return EncodedBatch.of(encodings, padId);
    }

    /** Encodes one text, unpadded: the arrays are exactly {@link Encoding#length()} long. */
    public Encoding encode(String text) {
        Objects.requireNonNull(text, "text");
        Scratch reused = scratch.get();
        Encoder encoder = new Encoder(reused);
        int length = encoder.encode(text, reused.row, 0);
        reused.release();
        int[] mask = new int[length];
        Arrays.fill(mask, 1);
        return new Encoding(Arrays.copyOf(reused.row, length), mask, length, encoder.truncated);
    }

    /** Encodes each text and pads all rows to the longest one. */
    public EncodedBatch encodeBatch(List<String> texts) {
        return encodeBatch(texts, -1);
    }

    /**
     * Encodes each text and pads all rows to {@code sequenceLength}, for encoders with a fixed
     * input shape.
     *
     * @throws IllegalArgumentException if {@code sequenceLength} is below {@link TokenizerOptions#maxLength()},
     *     since some text could then not fit
     */
    public EncodedBatch encodeBatch(List<String> texts, int sequenceLength) {
        if (sequenceLength != -1 && sequenceLength < options.maxLength()) {
            throw new IllegalArgumentException(
                    "sequenceLength " + sequenceLength + " is below maxLength " + options.maxLength());
        }
        int size = texts.size();
        // Encode at a stride every row fits in; compact afterwards only if the rows came out shorter.
        int rowStride = Math.max(options.maxLength(), sequenceLength);
        int[] wide = new int[Math.multiplyExact(size, rowStride)];
        int[] lengths = new int[size];
        boolean[] truncated = new boolean[size];
        Scratch reused = scratch.get();
        Encoder encoder = new Encoder(reused);
        int longest = 0;
        for (int row = 0; row < size; row++) {
            String text = Objects.requireNonNull(texts.get(row), "text");
            lengths[row] = encoder.encode(text, wide, row * rowStride);
            truncated[row] = encoder.truncated;
            longest = Math.max(longest, lengths[row]);
        }
        reused.release();
        int width = sequenceLength == -1 ? longest : sequenceLength;
        int[] ids = width == rowStride ? wide : new int[size * width];
        int[] mask = new int[size * width];
        for (int row = 0; row < size; row++) {
            int from = row * rowStride;
            int to = row * width;
            if (ids != wide) {
                System.arraycopy(wide, from, ids, to, lengths[row]);
            }
            Arrays.fill(ids, to + lengths[row], to + width, padId);
            Arrays.fill(mask, to, to + lengths[row], 1);
        }
        return new EncodedBatch(size, width, ids, mask, lengths, truncated);
    }

    /**
     * The WordPiece tokens of {@code text}, without [CLS]/[SEP] and without truncation; for
     * inspection and debugging, not for the hot path.
     */
    public List<String> tokenize(String text) {
        Objects.requireNonNull(text, "text");
        List<String> tokens = new ArrayList<>();
        int[] pieces = new int[WordPiece.MAX_PIECES_PER_WORD];
        basic.split(LookAlikes.fold(text), new BasicTokenizer.Buffers(), (chars, length) -> {
            int n = wordPiece.encodeWord(chars, length, pieces);
            for (int i = 0; i < n; i++) {
                tokens.add(vocabulary.token(pieces[i]));
            }
            return true;
        });
        return tokens;
    }

    /**
     * Scratch arrays one thread reuses across calls, so the hot path allocates little more than
     * its result. Deliberately holds nothing of the tokenizer: a long-lived thread that outlives a
     * discarded tokenizer (e.g. after a model reload) then retains only these few kilobytes.
     */
    private static final class Scratch {
        /** Buffers grown past this by an unusually long text are dropped rather than kept. */
        private static final int RETAINED_CHARS = 1 << 12;

        private BasicTokenizer.Buffers buffers = new BasicTokenizer.Buffers();
        private final int[] pieces = new int[WordPiece.MAX_PIECES_PER_WORD];
        private final int[] row;

        Scratch(int maxLength) {
            row = new int[maxLength];
        }

        void release() {
            if (buffers.retainedChars() > RETAINED_CHARS) {
                buffers = new BasicTokenizer.Buffers();
            }
        }
    }

    /** Per-call state: the row being written, over a thread's scratch arrays. */
    private final class Encoder implements BasicTokenizer.WordSink {
        private final Scratch scratch;
        private final int capacity = options.maxLength() - 2;
        private int[] out;
        private int next;
        private int count;
        private boolean truncated;

        Encoder(Scratch scratch) {
            this.scratch = scratch;
        }

        /** Writes {@code [CLS] pieces [SEP]} at {@code out[offset]}; returns the number of ids. */
        int encode(String raw, int[] out, int offset) {
            String text = LookAlikes.fold(raw);
            this.out = out;
            this.next = offset + 1;
            this.count = 0;
            this.truncated = false;
            out[offset] = clsId;
            basic.split(text, scratch.buffers, this);
            out[next] = sepId;
            return count + 2;
        }

        @Override
        public boolean word(char[] chars, int length) {
            int[] pieces = scratch.pieces;
            int n = wordPiece.encodeWord(chars, length, pieces);
            for (int i = 0; i < n; i++) {
                if (count == capacity) {
                    // Only now is the text known to be longer than fits; stop tokenizing it.
                    truncated = true;
                    return false;
                }
                out[next++] = pieces[i];
                count++;
            }
            return true;
        }
    }
}
