package io.streamguard.model.training;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws a precision-recall curve as a PNG with plain java.awt (headless: works on servers without a display):
 * precision over recall as a step curve, the chance line at the positive rate, the area (average precision)
 * in the legend.
 */
public final class PrCurvePlot {

    static {
        // Before the first AWT class loads: no display on training hosts, and AWT must not look for one.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    public static final int WIDTH = 800;
    public static final int HEIGHT = 600;
    /** Colour of the curve (tests look for it). */
    public static final Color CURVE = new Color(0x1f77b4);

    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;

    private PrCurvePlot() {}

    /**
     * Writes the plot to {@code png}.
     *
     * @param curve as {@link Metrics#precisionRecallCurve} gives, highest threshold first
     * @param averagePrecision shown in the legend as AUC-PR
     * @param positiveRate share of class 1 in the data: a random classifier's precision (dashed line)
     */
    public static void write(Path png, String title, List<PrPoint> curve, double averagePrecision, double positiveRate)
            throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            drawAxes(g, title);

            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 6}, 0));
            g.drawLine(x(0), y(positiveRate), x(1), y(positiveRate));

            // Step curve as average precision integrates it: P_k holds over recall (R_k-1, R_k].
            Path2D.Double path = new Path2D.Double();
            double previousRecall = 0;
            path.moveTo(x(0), y(curve.isEmpty() ? 1 : curve.get(0).precision()));
            for (PrPoint p : curve) {
                path.lineTo(x(previousRecall), y(p.precision()));
                path.lineTo(x(p.recall()), y(p.precision()));
                previousRecall = p.recall();
            }
            g.setColor(CURVE);
            g.setStroke(new BasicStroke(2.5f));
            g.draw(path);

            drawLegend(
                    g,
                    String.format(Locale.ROOT, "PR curve (AUC-PR = %.3f)", averagePrecision),
                    String.format(Locale.ROOT, "chance (positive rate %.3f)", positiveRate));
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(image, "png", png.toFile())) {
            throw new IOException("no PNG writer in this JVM");
        }
    }

    private static void drawAxes(Graphics2D g, String title) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i <= 10; i++) {
            double v = i / 10.0;
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(x(v), y(0), x(v), y(1));
            g.drawLine(x(0), y(v), x(1), y(v));
            if (i % 2 == 0) {
                String label = String.format(Locale.ROOT, "%.1f", v);
                g.setColor(Color.DARK_GRAY);
                g.drawString(label, x(v) - fm.stringWidth(label) / 2, y(0) + fm.getHeight() + 2);
                g.drawString(label, x(0) - fm.stringWidth(label) - 8, y(v) + fm.getAscent() / 2 - 1);
            }
        }
        g.setColor(Color.BLACK);
        g.drawRect(x(0), y(1), x(1) - x(0), y(0) - y(1));
        g.drawString("recall", (x(0) + x(1) - fm.stringWidth("recall")) / 2, HEIGHT - 20);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString("precision", -(y(0) + y(1) + fm.stringWidth("precision")) / 2, 25);
        rotated.dispose();
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, (WIDTH - g.getFontMetrics().stringWidth(title)) / 2, 30);
    }

    private static void drawLegend(Graphics2D g, String curveLabel, String chanceLabel) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        int width = Math.max(fm.stringWidth(curveLabel), fm.stringWidth(chanceLabel)) + 50;
        int left = x(0) + 12;
        int top = y(0) - 58;
        g.setColor(Color.WHITE);
        g.fillRect(left, top, width, 46);
        g.setColor(Color.LIGHT_GRAY);
        g.setStroke(new BasicStroke(1));
        g.drawRect(left, top, width, 46);
        g.setColor(CURVE);
        g.setStroke(new BasicStroke(2.5f));
        g.drawLine(left + 8, top + 15, left + 36, top + 15);
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 6}, 0));
        g.drawLine(left + 8, top + 34, left + 36, top + 34);
        g.setColor(Color.BLACK);
        g.drawString(curveLabel, left + 44, top + 15 + fm.getAscent() / 2 - 1);
        g.drawString(chanceLabel, left + 44, top + 34 + fm.getAscent() / 2 - 1);
    }

    private static int x(double recall) {
        return LEFT + (int) Math.round(recall * (WIDTH - LEFT - RIGHT));
    }

    private static int y(double precision) {
        return HEIGHT - BOTTOM - (int) Math.round(precision * (HEIGHT - TOP - BOTTOM));
    }
}
