namespace L4Re.Platform.BaikalT.Trusted;

/// <summary>Opcodes of the radio-configuration protocol (first message word).</summary>
public enum RadioOp : ulong
{
    /// <summary>The radio's fixed facts: country, DFS region, capabilities.</summary>
    GetInfo = 0,
    /// <summary>Configure the radio: channel, width, TX power, antenna gain, mode (needs W).</summary>
    SetConfig = 1,
    /// <summary>Start a channel availability check on a DFS channel (needs W).</summary>
    StartCac = 2,
    /// <summary>What the radio does now, DFS state and counters.</summary>
    GetStatus = 3,
    /// <summary>Ask to change the country: always refused, the trusted side fixes it.</summary>
    SetCountry = 4,
    /// <summary>Switch the radio off (needs W).</summary>
    RadioOff = 5,
}
