using L4Re.Uvmm.Vmm;

namespace L4Re.Uvmm.Tests.Vmm;

/// <summary>An MMIO device that records accesses and returns offset-derived values.</summary>
internal sealed class RecordingDevice(string name = "rec") : IMmioDevice
{
    public List<(bool Write, ulong Offset, MmioWidth Width, ulong Value, int Vcpu)> Log { get; } = [];
    public Dictionary<ulong, ulong> Values { get; } = [];

    public string DeviceName => name;

    public ulong Read(ulong offset, MmioWidth width, int vcpu)
    {
        var v = Values.GetValueOrDefault(offset, 0xdead_beef_cafe_f00d);
        Log.Add((false, offset, width, v, vcpu));
        return v;
    }

    public void Write(ulong offset, MmioWidth width, ulong value, int vcpu) => Log.Add((true, offset, width, value, vcpu));
}

/// <summary>An interrupt controller that records the line levels.</summary>
internal sealed class FakeController(int cells = 1, int lines = 64) : IInterruptController
{
    private readonly Dictionary<int, IIrqSourceHandler> _handlers = [];
    public int[] Level { get; } = new int[lines];
    public string DeviceName => "fake-ic";

    public void Set(int irq) => Level[irq]++;
    public void Clear(int irq) => Level[irq]--;

    public void BindSourceHandler(int irq, IIrqSourceHandler? handler)
    {
        if (handler is null)
            _handlers.Remove(irq);
        else
            _handlers[irq] = handler;
    }

    public IIrqSourceHandler? GetSourceHandler(int irq) => _handlers.GetValueOrDefault(irq);

    public bool TryDecodeInterrupt(IReadOnlyList<uint> spec, out int irq)
    {
        irq = spec.Count == cells ? (int)spec[cells - 1] : -1;
        return irq >= 0 && irq < lines;
    }
}

internal sealed class NamedDevice(string name) : IVmDevice
{
    public string DeviceName => name;
}
