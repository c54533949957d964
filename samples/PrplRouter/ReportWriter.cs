namespace PrplRouter;

/// <summary>Writes the sample's report.</summary>
/// <param name="writer">Where.</param>
internal sealed class ReportWriter(TextWriter writer)
{
    public void Title(string text)
    {
        writer.WriteLine(text);
        writer.WriteLine(new string('=', text.Length));
    }

    public void Section(string text)
    {
        writer.WriteLine();
        writer.WriteLine(text);
    }

    public void Line(string text) => writer.WriteLine(text);
}
