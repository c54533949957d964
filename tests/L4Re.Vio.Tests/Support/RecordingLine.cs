using L4Re.Vio.Virtio;

namespace L4Re.Vio.Tests.Support;

/// <summary>An interrupt line that records its level and the number of raises.</summary>
internal sealed class RecordingLine : IInterruptLine
{
    public bool Level { get; private set; }

    public int Raises { get; private set; }

    public int Lowers { get; private set; }

    public void Raise()
    {
        Level = true;
        Raises++;
    }

    public void Lower()
    {
        Level = false;
        Lowers++;
    }
}
