namespace L4Re.Vio.Memory;

/// <summary>
/// Sees every translation a device makes through a <see cref="DriverMemoryList"/> — the only way a
/// device reaches driver memory. Tests use it to prove that a device never touches a byte outside the
/// buffers the driver published; production code leaves it unset (one null check per translation).
/// </summary>
public interface IDriverMemoryObserver
{
    /// <summary>A device translated <c>[address, address + length)</c> for reading or writing.</summary>
    void OnTranslate(ulong address, ulong length, bool write);
}
