using L4Re.Vio.Memory;

namespace L4Re.Vio.Tests.Hardening;

/// <summary>Records every translation a device makes.</summary>
internal sealed class AccessLog : IDriverMemoryObserver
{
    public List<(ulong Address, ulong Length, bool Write)> Entries { get; } = [];

    public void OnTranslate(ulong address, ulong length, bool write) => Entries.Add((address, length, write));
}
